/**
 * The local app's stacks, by name, in deploy order: the stacks are created under these names
 * (stacks/), and the deploy runs Terraform in their directories in this order (tool/deploy/).
 * The data stack holds only the volume, so that destroying the database stack (the documented
 * reset) never touches the data.
 */
export const DATA_STACK_NAME = 'usualstore-data';
export const DATABASE_STACK_NAME = 'usualstore-database';
export const STACK_ORDER = [DATA_STACK_NAME, DATABASE_STACK_NAME] as const;
