/** Docker resources take labels as a list of {label, value} blocks; the config keeps a map. */
import { Labels } from '../../config/database';

export function dockerLabels(labels: Labels): { label: string; value: string }[] {
  return Object.entries(labels).map(([label, value]) => ({ label, value }));
}
