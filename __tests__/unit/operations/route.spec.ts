/**
 * Which way backup, restore and shell go: docker exec into the container, or the local client
 * tools. Pure decisions, so every case is covered although no Docker daemon runs here.
 */
import { resolveDatabase } from '../../../tool/db/resolve';
import { emptyProjectDir } from '../../support/temp';
import { classifyProbe, describeContainerState, type ContainerState } from '../../../tool/operations/container';
import { pointsAtContainer } from '../../../tool/db/resolve';
import { chooseRoute } from '../../../tool/operations/route';
import { defaultConfig } from '../../../config/database';

const target = (url: string) => resolveDatabase({ projectDir: emptyProjectDir(), url, env: {} })!;
const never = (): ContainerState => {
  throw new Error('docker must not be asked');
};

describe('classifyProbe (docker inspect --format {{.State.Running}})', () => {
  it.each<[string, Parameters<typeof classifyProbe>[0], ContainerState]>([
    [
      'docker missing',
      { spawnError: { code: 'ENOENT', message: 'spawnSync docker ENOENT' }, status: null, stdout: '', stderr: '' },
      { state: 'docker-missing' },
    ],
    [
      'daemon down (what the CLI prints)',
      {
        status: 1,
        stdout: '[]\n',
        stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n',
      },
      { state: 'daemon-down', detail: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' },
    ],
    [
      'daemon down (Docker Desktop on Windows)',
      { status: 1, stdout: '', stderr: 'error during connect: this error may indicate that the docker daemon is not running' },
      expect.objectContaining({ state: 'daemon-down' }),
    ],
    ['no such container', { status: 1, stdout: '[]', stderr: 'Error: No such container: usualstore-database' }, { state: 'absent' }],
    ['no such object (older CLIs)', { status: 1, stdout: '', stderr: 'Error: No such object: usualstore-database' }, { state: 'absent' }],
    ['running', { status: 0, stdout: 'true\n', stderr: '' }, { state: 'running' }],
    ['stopped', { status: 0, stdout: 'false\n', stderr: '' }, { state: 'not-running' }],
    [
      'timed out',
      { spawnError: { code: 'ETIMEDOUT', message: 'spawnSync docker ETIMEDOUT' }, status: null, stdout: '', stderr: '' },
      { state: 'unknown', detail: 'spawnSync docker ETIMEDOUT' },
    ],
    [
      'permission denied on the socket',
      { status: 1, stdout: '', stderr: 'permission denied while trying to connect to the Docker daemon socket\n' },
      expect.objectContaining({ state: 'unknown' }),
    ],
  ])('%s', (_, outcome, expected) => {
    expect(classifyProbe(outcome)).toEqual(expected);
  });
});

describe('pointsAtContainer', () => {
  it.each([
    ['postgres://postgres@localhost:5433/usualstore', true],
    ['postgres://postgres@127.0.0.1:5433/usualstore', true],
    ['postgres://postgres@[::1]:5433/usualstore', true],
    ['postgres://postgres@127.0.0.1:5432/usualstore', false],
    ['postgres://postgres@db.internal:5433/usualstore', false],
  ])('%s -> %s', (url, expected) => {
    expect(pointsAtContainer(target(url), defaultConfig)).toBe(expected);
  });
});

describe('chooseRoute', () => {
  it('a URL naming another server goes local without asking docker (never the wrong database)', () => {
    const route = chooseRoute({ target: target('postgres://u:secret@db.internal:5432/shop'), config: defaultConfig, probe: never });
    expect(route).toMatchObject({
      kind: 'local',
      label: 'u@db.internal:5432/shop',
      why: "local client tools: db.internal:5432 is not usualstore-database's published port",
    });
  });

  it('the container running: docker exec, with the URL user and database when given', () => {
    const running = () => ({ state: 'running' }) as const;
    expect(chooseRoute({ target: target('postgres://app@localhost:5433/other'), config: defaultConfig, probe: running })).toEqual({
      kind: 'docker',
      container: 'usualstore-database',
      user: 'app',
      database: 'other',
      label: 'app@usualstore-database/other',
      why: 'docker exec into usualstore-database',
    });
    // The deployed database (what a command uses when no URL is given) is the container's port.
    expect(
      chooseRoute({ target: resolveDatabase({ projectDir: emptyProjectDir(), env: {} })!, config: defaultConfig, probe: running }),
    ).toMatchObject({
      kind: 'docker',
      user: 'postgres',
      database: 'usualstore',
    });
  });

  it.each<[ContainerState, string]>([
    [{ state: 'docker-missing' }, 'docker is not installed'],
    [{ state: 'daemon-down', detail: 'x' }, 'the Docker daemon is not running'],
    [{ state: 'not-running' }, 'container usualstore-database is not running'],
    [{ state: 'absent' }, 'there is no container usualstore-database'],
  ])('the container unusable (%o) with a URL for it: local tools, saying why', (state, reason) => {
    const route = chooseRoute({
      target: target('postgres://postgres@127.0.0.1:5433/usualstore'),
      config: defaultConfig,
      probe: () => state,
    });
    expect(route).toMatchObject({ kind: 'local', why: `local client tools: ${reason}` });
    expect(describeContainerState('usualstore-database', state)).toBe(reason);
  });

  it('the deployed database with the container not usable: the local tools on its published port, as every other command', () => {
    const route = chooseRoute({
      target: resolveDatabase({ projectDir: emptyProjectDir(), env: {} })!,
      config: defaultConfig,
      probe: () => ({ state: 'daemon-down', detail: 'x' }),
    });
    expect(route).toMatchObject({
      kind: 'local',
      label: 'postgres@127.0.0.1:5433/usualstore',
      why: 'local client tools: the Docker daemon is not running',
    });
  });

  it('follows the configured container name and published port', () => {
    const config = { ...defaultConfig, containerName: 'shop-db', hostPort: 6543 };
    expect(
      chooseRoute({ target: target('postgres://postgres@localhost:6543/usualstore'), config, probe: () => ({ state: 'running' }) }),
    ).toMatchObject({ kind: 'docker', container: 'shop-db' });
  });
});
