import { describe, expect, it } from 'vitest';
import { lastMeaningfulLine } from '../../src/sources/compose/compose-cli';
import { HEALTH_DEFAULTS, parseComposeConfig, parseDurationSeconds, parseMemoryBytes } from '../../src/sources/compose/compose-model';
import type { ComposeModel, ComposeServiceModel } from '../../src/domain/stacks';

/**
 * Verbatim output of `NETRA_BASE_PREFIX=localhost/netra-base docker-compose -p netra -f docker-compose.yml config`
 * with docker-compose 1.29.2 (Debian), the file's directory renamed to /srv/netra. The source file used short and
 * long volume syntax, a depends_on list, list-form build args, `1m30s`/`1h2m3s` durations, `healthcheck.disable`.
 */
const V1_CONFIG = `services:
  backend:
    build:
      args:
        BASE_IMAGE: localhost/netra-base:3.12-alpine
        WORKERS: '4'
      context: /srv/netra/backend
    cpus: 0.5
    depends_on:
      cache:
        condition: service_started
      db:
        condition: service_healthy
      migrate:
        condition: service_completed_successfully
    healthcheck:
      interval: 2s
      retries: 10
      start_period: 5s
      test:
      - CMD
      - wget
      - -q
      - -O-
      - http://localhost:8000/health
      timeout: 1s
    image: netra-backend:alpine
    mem_limit: 64m
    volumes:
    - source: uploads
      target: /srv/uploads
      type: volume
    - source: /srv/netra/init
      target: /init
      type: bind
    - /srv/anonymous
  cache:
    healthcheck:
      interval: 90s
      start_period: 3723s
      test:
      - CMD-SHELL
      - redis-cli ping
      timeout: 500ms
    image: redis:7-alpine
    mem_limit: 1.5g
    tmpfs:
    - /tmp
  db:
    cpus: 1
    healthcheck:
      test: pg_isready -U app
    image: postgres:16-alpine
    mem_limit: 536870912
    volumes:
    - pgdata:/var/lib/postgresql/data:rw
    - /srv/netra/init:/docker-entrypoint-initdb.d:ro
  frontend:
    depends_on:
      backend:
        condition: service_healthy
    image: netra-frontend:alpine
    mem_limit: 100k
  migrate:
    build:
      args:
        BASE_IMAGE: localhost/netra-base:3.12-alpine
        PIP_NO_CACHE: '1'
      context: /srv/netra/backend
    command:
    - python
    - -m
    - migrate
    depends_on:
      db:
        condition: service_started
  worker:
    depends_on:
      backend:
        condition: service_started
    deploy:
      resources:
        limits:
          cpus: 1.5
          memory: 256M
    healthcheck:
      test:
      - NONE
    image: netra-backend:alpine
    mem_limit: 1g
version: '3.9'
volumes:
  pgdata: {}
  uploads: {}

`;

/**
 * What `docker compose config` (v2, compose-go) prints for the same file: byte counts in strings, Go durations,
 * long-syntax volumes, `disable: true`, `required:` in depends_on, a top-level `name:`.
 */
const V2_CONFIG = `name: netra
services:
  backend:
    build:
      context: /srv/netra/backend
      dockerfile: Dockerfile
      args:
        BASE_IMAGE: localhost/netra-base:3.12-alpine
        WORKERS: "4"
    cpus: 0.5
    depends_on:
      cache:
        condition: service_started
        required: true
      db:
        condition: service_healthy
        required: true
      migrate:
        condition: service_completed_successfully
        required: true
    healthcheck:
      test:
        - CMD
        - wget
        - -q
        - -O-
        - http://localhost:8000/health
      timeout: 1s
      interval: 2s
      retries: 10
      start_period: 5s
    image: netra-backend:alpine
    mem_limit: "67108864"
    networks:
      default: null
    volumes:
      - type: volume
        source: uploads
        target: /srv/uploads
        volume: {}
      - type: bind
        source: /srv/netra/init
        target: /init
        bind:
          create_host_path: true
      - type: volume
        target: /srv/anonymous
        volume: {}
  cache:
    healthcheck:
      test:
        - CMD-SHELL
        - redis-cli ping
      timeout: 500ms
      interval: 1m30s
      start_period: 1h2m3s
    image: redis:7-alpine
    mem_limit: "1610612736"
    networks:
      default: null
    tmpfs:
      - /tmp
  db:
    cpus: 1
    healthcheck:
      test:
        - CMD-SHELL
        - pg_isready -U app
    image: postgres:16-alpine
    mem_limit: "536870912"
    networks:
      default: null
    volumes:
      - type: volume
        source: pgdata
        target: /var/lib/postgresql/data
        volume: {}
      - type: bind
        source: /srv/netra/init
        target: /docker-entrypoint-initdb.d
        read_only: true
        bind:
          create_host_path: true
  frontend:
    depends_on:
      backend:
        condition: service_healthy
        required: true
    image: netra-frontend:alpine
    mem_limit: "102400"
    networks:
      default: null
  migrate:
    build:
      context: /srv/netra/backend
      dockerfile: Dockerfile
      args:
        BASE_IMAGE: localhost/netra-base:3.12-alpine
        PIP_NO_CACHE: "1"
    command:
      - python
      - -m
      - migrate
    depends_on:
      db:
        condition: service_started
        required: true
    networks:
      default: null
  worker:
    depends_on:
      backend:
        condition: service_started
        required: true
    deploy:
      resources:
        limits:
          cpus: 1.5
          memory: "268435456"
    healthcheck:
      disable: true
    image: netra-backend:alpine
    mem_limit: "1073741824"
    networks:
      default: null
networks:
  default:
    name: netra_default
volumes:
  pgdata:
    name: netra_pgdata
  uploads:
    name: netra_uploads
`;

function service(model: ComposeModel, name: string): ComposeServiceModel {
  const found = model.services.find((s) => s.name === name);
  if (!found) throw new Error(`no service ${name}`);
  return found;
}

const MiB = 1024 ** 2;

describe.each([
  ['v1 (docker-compose 1.29)', V1_CONFIG, 'netra_migrate'],
  ['v2 (docker compose)', V2_CONFIG, 'netra-migrate'],
])('compose config output of %s', (_, text, builtImage) => {
  const model = parseComposeConfig(text, { project: 'netra' });

  it('lists every service with its image; a built service without image: gets the name compose tags it with', () => {
    expect(model.services.map((s) => s.name).sort()).toEqual(['backend', 'cache', 'db', 'frontend', 'migrate', 'worker']);
    expect(service(model, 'backend').image).toBe('netra-backend:alpine');
    expect(service(model, 'migrate').image).toBe(builtImage);
  });

  it('finds the one-shot: the service another waits for with service_completed_successfully', () => {
    expect(model.services.filter((s) => s.oneShot).map((s) => s.name)).toEqual(['migrate']);
    expect(service(model, 'backend').dependsOn.sort()).toEqual(['cache', 'db', 'migrate']);
    expect(service(model, 'worker').dependsOn).toEqual(['backend']);
    expect(service(model, 'db').dependsOn).toEqual([]);
  });

  it('reads health checks, with the engine defaults for what is left out', () => {
    expect(service(model, 'backend').health).toEqual({ intervalSeconds: 2, timeoutSeconds: 1, retries: 10, startPeriodSeconds: 5 });
    expect(service(model, 'db').health).toEqual(HEALTH_DEFAULTS);
    expect(HEALTH_DEFAULTS).toEqual({ intervalSeconds: 30, timeoutSeconds: 30, retries: 3, startPeriodSeconds: 0 });
    expect(service(model, 'cache').health).toEqual({ intervalSeconds: 90, timeoutSeconds: 0.5, retries: 3, startPeriodSeconds: 3723 });
  });

  it('has no health check where there is none or it is disabled', () => {
    expect(service(model, 'frontend').health).toBeNull();
    expect(service(model, 'migrate').health).toBeNull();
    expect(service(model, 'worker').health).toBeNull();
  });

  it('reads memory limits in every unit, deploy limits winning over mem_limit', () => {
    expect(service(model, 'backend').memLimitBytes).toBe(64 * MiB);
    expect(service(model, 'cache').memLimitBytes).toBe(1.5 * 1024 * MiB);
    expect(service(model, 'db').memLimitBytes).toBe(512 * MiB);
    expect(service(model, 'frontend').memLimitBytes).toBe(100 * 1024);
    expect(service(model, 'worker').memLimitBytes).toBe(256 * MiB);
    expect(service(model, 'migrate').memLimitBytes).toBeNull();
  });

  it('reads cpus', () => {
    expect(service(model, 'backend').cpus).toBe(0.5);
    expect(service(model, 'db').cpus).toBe(1);
    expect(service(model, 'worker').cpus).toBe(1.5);
    expect(service(model, 'cache').cpus).toBeNull();
  });

  it('lists named volumes only: not bind mounts, tmpfs or anonymous volumes', () => {
    expect(service(model, 'backend').volumes).toEqual(['uploads']);
    expect(service(model, 'db').volumes).toEqual(['pgdata']);
    expect(service(model, 'cache').volumes).toEqual([]);
  });

  it('reads build args after interpolation, as strings; null build for an image-only service', () => {
    expect(service(model, 'backend').build).toEqual({ args: { BASE_IMAGE: 'localhost/netra-base:3.12-alpine', WORKERS: '4' } });
    expect(service(model, 'migrate').build).toEqual({ args: { BASE_IMAGE: 'localhost/netra-base:3.12-alpine', PIP_NO_CACHE: '1' } });
    expect(service(model, 'db').build).toBeNull();
  });
});

describe('parseComposeConfig edge cases', () => {
  it('reads list-form build args and a depends_on list', () => {
    const model = parseComposeConfig(
      ['services:', '  a:', '    image: a', '    build:', '      context: .', '      args: ["X=1", "EMPTY=", "UNSET"]', '    depends_on: [b]', '  b:', '    image: b'].join('\n'),
    );
    expect(service(model, 'a').build).toEqual({ args: { X: '1', EMPTY: '' } });
    expect(service(model, 'a').dependsOn).toEqual(['b']);
    expect(service(model, 'b').oneShot).toBe(false);
  });

  it('treats test: NONE as no health check, and a bare healthcheck block as the defaults', () => {
    const model = parseComposeConfig('services:\n  a:\n    image: a\n    healthcheck:\n      test: NONE\n  b:\n    image: b\n    healthcheck:\n      retries: 5\n');
    expect(service(model, 'a').health).toBeNull();
    expect(service(model, 'b').health).toEqual({ ...HEALTH_DEFAULTS, retries: 5 });
  });

  it('fails in one line on output that is not a compose model', () => {
    expect(() => parseComposeConfig('services: [')).toThrow(/^compose config printed YAML that does not parse: [^\n]*$/);
    expect(() => parseComposeConfig('version: "3.9"\n')).toThrow('compose config printed no services');
  });
});

describe('compose units', () => {
  it.each([
    ['512m', 512 * MiB],
    ['512M', 512 * MiB],
    ['512mb', 512 * MiB],
    ['2GiB', 2 * 1024 * MiB],
    ['1.5g', 1.5 * 1024 * MiB],
    ['100k', 102400],
    ['536870912', 512 * MiB],
    [536870912, 512 * MiB],
    ['1024b', 1024],
    ['64 m', 64 * MiB],
  ])('memory %s is %d bytes', (text, bytes) => {
    expect(parseMemoryBytes(text)).toBe(bytes);
  });

  it.each(['', 'lots', '-5m', '12ib', '5x', null, {}])('memory %j is not a size', (text) => {
    expect(parseMemoryBytes(text)).toBeNull();
  });

  it.each([
    ['2s', 2],
    ['90s', 90],
    ['1m30s', 90],
    ['1h2m3s', 3723],
    ['500ms', 0.5],
    ['1.5s', 1.5],
    ['1m', 60],
    ['250us', 0.00025],
    ['30', 30],
    [10, 10],
  ])('duration %s is %d seconds', (text, seconds) => {
    expect(parseDurationSeconds(text)).toBeCloseTo(seconds, 9);
  });

  it.each(['', 'soon', '1x', '-1s', 's'])('duration %j is not a duration', (text) => {
    expect(parseDurationSeconds(text)).toBeNull();
  });
});

describe('lastMeaningfulLine (what docker-compose 1.29 printed, verbatim)', () => {
  it('names the service that could not start, not the closing summary', () => {
    const stderr =
      'Creating pf_a_1 ... \r\nCreating pf_a_1 ... error\r\n\nERROR: for pf_a_1  Cannot start service a: failed to create shim task: exec: "/nonexistent": no such file\n\n' +
      'ERROR: for a  Cannot start service a: failed to create shim task: exec: "/nonexistent": no such file\nEncountered errors while bringing up the project.\n';
    expect(lastMeaningfulLine(stderr)).toBe('a: Cannot start service a: failed to create shim task: exec: "/nonexistent": no such file');
  });

  it('keeps where a YAML error is', () => {
    const stderr = [
      'yaml.parser.ParserError: while parsing a block mapping',
      '  in "/srv/bad.yml", line 2, column 3',
      "expected <block end>, but found '<block mapping start>'",
      '  in "/srv/bad.yml", line 4, column 4',
      '',
    ].join('\n');
    expect(lastMeaningfulLine(stderr)).toBe("expected <block end>, but found '<block mapping start>' (/srv/bad.yml, line 4, column 4)");
  });

  it('strips colours and makes control characters visible', () => {
    expect(lastMeaningfulLine('\u001b[31mERROR:\u001b[0m bad \u0007thing\n\n')).toBe('bad \u2407thing');
    expect(lastMeaningfulLine('\n \n')).toBeNull();
  });
});
