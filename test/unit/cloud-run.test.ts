// Cloud Run domain logic, fed payloads shaped as the official @google-cloud/run v2 client returns them: enums as
// their string names, int64 seconds as strings, unset strings as '' and unset messages as null.
import { describe, expect, it } from 'vitest';
import {
  cloudRunAlerts,
  firstLine,
  imageVariant,
  resolveRevision,
  revisionFromPayload,
  revisionTags,
  serviceFromPayload,
  servingShare,
  shortName,
  timestampToIso,
  trafficDiffers,
  type CloudRunRevision,
  type CloudRunService,
  type RunRevisionPayload,
  type RunServicePayload,
  type TrafficTarget,
} from '../../src/domain/cloud-run';
import { initialCloudRunState, reduceCloudRun } from '../../src/store/cloud-run-state';

const LOCATION = 'projects/netra-staging/locations/us-central1';
const REGISTRY = 'us-central1-docker.pkg.dev/netra-staging/netra';
const AUTH = `${LOCATION}/services/netra-auth`;
const revisionName = (service: string, revision: string) => `${LOCATION}/services/${service}/revisions/${revision}`;

/** 2026-11-20T09:12:00.697Z as a google.protobuf.Timestamp from the client. */
const NOV_20 = { seconds: '1795165920', nanos: 697_000_000 };
const NOV_19 = { seconds: '1795093500', nanos: 0 };
const OCT_01 = { seconds: '1790841600', nanos: 0 };

const LOGS_URL = 'https://console.cloud.google.com/logs/viewer?project=netra-staging&resource=cloud_run_revision';
const FAILED_TO_START =
  'The user-provided container failed to start and listen on the port defined provided by the PORT=8080 environment variable within the allocated timeout.';
const FAILED_MESSAGE = `${FAILED_TO_START}\n\nLogs URL: ${LOGS_URL}\nFor more troubleshooting guidance, see https://cloud.google.com/run/docs/troubleshooting#container-failed-to-start`;

function condition(type: string, state: string, message = '') {
  return { type, state, message, lastTransitionTime: NOV_20, severity: state === 'CONDITION_FAILED' ? 'ERROR' : 'SEVERITY_UNSPECIFIED' };
}

function revisionPayload(
  service: string,
  revision: string,
  extra: { image?: string; createTime?: { seconds: string; nanos: number } | null; ready?: string; message?: string } = {},
): RunRevisionPayload {
  const state = extra.ready ?? 'CONDITION_SUCCEEDED';
  return {
    name: revisionName(service, revision),
    createTime: extra.createTime === undefined ? NOV_20 : extra.createTime,
    reconciling: false,
    conditions: [
      condition('Ready', state, extra.message),
      condition('ContainerHealthy', state, extra.message),
      condition('ResourcesAvailable', 'CONDITION_SUCCEEDED'),
    ],
    containers: [
      {
        image: extra.image ?? `${REGISTRY}/auth:v2.0-alpine`,
        resources: { limits: { cpu: '400m', memory: '512Mi' } },
      },
    ],
    scaling: { minInstanceCount: 1, maxInstanceCount: 5 },
  };
}

/** netra-auth as the sandbox seeds it: 90 % on the Alpine revision, 10 % on the previous one tagged canary. */
function authPayload(overrides: Partial<RunServicePayload> = {}): RunServicePayload {
  const traffic = [
    { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: 'netra-auth-00006-rle', percent: 90, tag: '' },
    { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: 'netra-auth-00005-k2p', percent: 10, tag: 'canary' },
  ];
  return {
    name: AUTH,
    uri: 'https://netra-auth-lgik9teqxt-uc.a.run.app',
    etag: 'sNut3XivkorOaJf2DH_ZvMDB',
    reconciling: false,
    latestReadyRevision: revisionName('netra-auth', 'netra-auth-00006-rle'),
    latestCreatedRevision: revisionName('netra-auth', 'netra-auth-00006-rle'),
    terminalCondition: condition('Ready', 'CONDITION_SUCCEEDED'),
    traffic,
    trafficStatuses: traffic.map((t) => ({ ...t, uri: t.tag ? `https://${t.tag}---netra-auth-lgik9teqxt-uc.a.run.app` : '' })),
    updateTime: NOV_20,
    ...overrides,
  };
}

const authRevisions = (): RunRevisionPayload[] => [
  // Deliberately not newest first: the mapping orders them.
  revisionPayload('netra-auth', 'netra-auth-00005-k2p', { image: `${REGISTRY}/auth:v1.5`, createTime: NOV_19 }),
  revisionPayload('netra-auth', 'netra-auth-00001-abc', { image: `${REGISTRY}/auth:v1.1`, createTime: OCT_01 }),
  revisionPayload('netra-auth', 'netra-auth-00006-rle'),
];

/** A mapped service for the pure helpers; override what a test is about. */
function service(overrides: Partial<CloudRunService> = {}): CloudRunService {
  return { ...serviceFromPayload(authPayload(), authRevisions()), ...overrides };
}

const pinned = (revision: string, percent: number, tag: string | null = null): TrafficTarget => ({ revision, percent, tag, latest: false });
const latest = (percent: number, tag: string | null = null): TrafficTarget => ({ revision: null, percent, tag, latest: true });

describe('shortName', () => {
  it.each([
    [revisionName('netra-auth', 'netra-auth-00006-rle'), 'netra-auth-00006-rle'],
    [AUTH, 'netra-auth'],
    ['netra-auth-00006-rle', 'netra-auth-00006-rle'],
    ['', ''],
    [null, ''],
    [undefined, ''],
  ])('%j → %j', (name, short) => {
    expect(shortName(name)).toBe(short);
  });
});

describe('timestampToIso', () => {
  it('reads int64 seconds given as a string, with the nanos', () => {
    expect(timestampToIso(NOV_20)).toBe('2026-11-20T09:12:00.697Z');
  });

  it('reads seconds given as a number and missing nanos', () => {
    expect(timestampToIso({ seconds: 1795093500 })).toBe('2026-11-19T13:05:00.000Z');
  });

  it('keeps whole milliseconds of the nanos', () => {
    expect(timestampToIso({ seconds: '1795093500', nanos: 999_999_999 })).toBe('2026-11-19T13:05:00.999Z');
  });

  it.each([[null], [undefined], [{ nanos: 5 }], [{ seconds: null }]])('is null for %j', (ts) => {
    expect(timestampToIso(ts)).toBeNull();
  });
});

describe('imageVariant', () => {
  it.each([
    [`${REGISTRY}/auth:v2.0-alpine`, 'alpine'],
    [`${REGISTRY}/backend:v2.3-alpine`, 'alpine'],
    [`${REGISTRY}/alpine-tools@sha256:${'a'.repeat(64)}`, 'alpine'],
    [`${REGISTRY}/auth:v1.5`, 'regular'],
    [`${REGISTRY}/frontend:latest`, 'regular'],
    ['localhost:5000/netra/backend:v1.2', 'regular'],
    [`${REGISTRY}/backend:v1.17@sha256:${'c'.repeat(64)}`, 'regular'],
    [`${REGISTRY}/backend@sha256:${'b'.repeat(64)}`, '?'],
    ['localhost:5000/netra/backend', '?'],
    ['', '?'],
  ])('%s → %s', (image, variant) => {
    expect(imageVariant(image)).toBe(variant);
  });
});

describe('revisionFromPayload', () => {
  it('maps a ready revision: short name, creation time, image, variant, limits and scaling', () => {
    const revision = revisionFromPayload(revisionPayload('netra-auth', 'netra-auth-00006-rle'));
    expect(revision).toEqual<CloudRunRevision>({
      name: 'netra-auth-00006-rle',
      ready: true,
      state: 'ready',
      message: null,
      createTime: '2026-11-20T09:12:00.697Z',
      image: `${REGISTRY}/auth:v2.0-alpine`,
      variant: 'alpine',
      memory: '512Mi',
      cpu: '400m',
      minInstances: 1,
      maxInstances: 5,
    });
  });

  it('maps a revision whose container failed to start, keeping the Ready condition message', () => {
    const revision = revisionFromPayload(
      revisionPayload('netra-backend-staging', 'netra-backend-staging-00025-fck', {
        image: `${REGISTRY}/backend@sha256:${'d'.repeat(64)}`,
        ready: 'CONDITION_FAILED',
        message: FAILED_MESSAGE,
      }),
    );
    expect(revision).toMatchObject({ name: 'netra-backend-staging-00025-fck', ready: false, state: 'failed', message: FAILED_MESSAGE, variant: '?' });
  });

  it('tells the variant of a digest-only image from the revision\'s variant label, or from the same digest under a tag', () => {
    const digest = `sha256:${'e'.repeat(64)}`;
    const labelled = { ...revisionPayload('netra-backend-staging', 'netra-backend-staging-00024-abc', { image: `${REGISTRY}/backend@${digest}` }), labels: { variant: 'alpine' } };
    expect(revisionFromPayload(labelled).variant).toBe('alpine');

    const tagged = revisionPayload('netra-backend-staging', 'netra-backend-staging-00023-aaa', { image: `${REGISTRY}/backend:v1.9@${digest}` });
    const pinned = revisionPayload('netra-backend-staging', 'netra-backend-staging-00024-bbb', { image: `${REGISTRY}/backend@${digest}` });
    const other = revisionPayload('netra-backend-staging', 'netra-backend-staging-00025-ccc', { image: `${REGISTRY}/backend@sha256:${'f'.repeat(64)}` });
    const service = serviceFromPayload(authPayload(), [tagged, pinned, other]);
    const variants = Object.fromEntries(service.revisions.map((r) => [r.name.slice(-3), r.variant]));
    // The same digest ran as a regular tag; an unknown digest stays '?', never a guess.
    expect(variants).toEqual({ aaa: 'regular', bbb: 'regular', ccc: '?' });
  });

  it('makes a condition message and an image printable: no control sequence from the API reaches the screen', () => {
    const payload = revisionPayload('netra-auth', 'netra-auth-00007-new', { image: `${REGISTRY}/auth:v2\x1b[2J`, ready: 'CONDITION_FAILED', message: 'boom\x1b]0;owned\x07\nline two' });
    const revision = revisionFromPayload(payload);
    expect(revision.message).toBe('boom␛]0;owned␇\nline two');
    expect(revision.image).not.toContain('\x1b');
  });

  it('reads the Ready condition, not the others', () => {
    const payload = revisionPayload('netra-auth', 'netra-auth-00007-new');
    payload.conditions = [condition('ResourcesAvailable', 'CONDITION_FAILED', 'quota'), condition('Ready', 'CONDITION_SUCCEEDED')];
    expect(revisionFromPayload(payload)).toMatchObject({ ready: true, state: 'ready', message: null });
  });

  it.each([
    ['reconciling', [condition('Ready', 'CONDITION_RECONCILING')]],
    ['pending', [condition('Ready', 'CONDITION_PENDING')]],
    ['without a Ready condition', [condition('ContainerHealthy', 'CONDITION_SUCCEEDED')]],
    ['without any condition', []],
  ])('is pending when %s', (_, conditions) => {
    const payload = { ...revisionPayload('netra-auth', 'netra-auth-00007-new'), conditions };
    expect(revisionFromPayload(payload)).toMatchObject({ ready: false, state: 'pending' });
  });

  it('understands numeric enum values too (CONDITION_SUCCEEDED = 3, CONDITION_FAILED = 4)', () => {
    const ready = { ...revisionPayload('netra-auth', 'a'), conditions: [{ type: 'Ready', state: 3 }] };
    const failed = { ...revisionPayload('netra-auth', 'b'), conditions: [{ type: 'Ready', state: 4, message: 'boom' }] };
    expect(revisionFromPayload(ready).state).toBe('ready');
    expect(revisionFromPayload(failed)).toMatchObject({ state: 'failed', message: 'boom' });
  });

  it('copes with a revision without containers, limits, scaling or creation time', () => {
    const revision = revisionFromPayload({ name: revisionName('netra-auth', 'bare'), createTime: null, containers: [], scaling: null });
    expect(revision).toEqual({
      name: 'bare',
      ready: false,
      state: 'pending',
      message: null,
      createTime: null,
      image: '',
      variant: '?',
      memory: null,
      cpu: null,
      minInstances: null,
      maxInstances: null,
    });
  });
});

describe('serviceFromPayload', () => {
  it('maps netra-auth: short names, readiness, traffic with tags, and revisions newest first', () => {
    const mapped = serviceFromPayload(authPayload(), authRevisions());
    expect(mapped).toMatchObject({
      name: 'netra-auth',
      fullName: AUTH,
      uri: 'https://netra-auth-lgik9teqxt-uc.a.run.app',
      ready: true,
      readyMessage: null,
      latestReadyRevision: 'netra-auth-00006-rle',
      latestCreatedRevision: 'netra-auth-00006-rle',
      reconciling: false,
      etag: 'sNut3XivkorOaJf2DH_ZvMDB',
      traffic: [pinned('netra-auth-00006-rle', 90), pinned('netra-auth-00005-k2p', 10, 'canary')],
      trafficStatuses: [pinned('netra-auth-00006-rle', 90), pinned('netra-auth-00005-k2p', 10, 'canary')],
    });
    expect(mapped.revisions.map((r) => [r.name, r.createTime, r.variant])).toEqual([
      ['netra-auth-00006-rle', '2026-11-20T09:12:00.697Z', 'alpine'],
      ['netra-auth-00005-k2p', '2026-11-19T13:05:00.000Z', 'regular'],
      ['netra-auth-00001-abc', '2026-10-01T08:00:00.000Z', 'regular'],
    ]);
  });

  it('maps a LATEST target: no revision of its own, flagged latest', () => {
    const traffic = [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', revision: '', percent: 100, tag: '' }];
    const mapped = serviceFromPayload(authPayload({ traffic, trafficStatuses: traffic }), []);
    expect(mapped.traffic).toEqual([latest(100)]);
    expect(mapped.trafficStatuses).toEqual([latest(100)]);
    const numeric = serviceFromPayload(authPayload({ traffic: [{ type: 1, percent: 100 }] }), []);
    expect(numeric.traffic).toEqual([latest(100)]);
  });

  it('maps a service that is not ready, with the condition message', () => {
    const message = `Revision 'netra-backend-staging-00025-fck' is not ready and cannot serve traffic. ${FAILED_MESSAGE}`;
    const mapped = serviceFromPayload(
      authPayload({
        name: `${LOCATION}/services/netra-backend-staging`,
        terminalCondition: { ...condition('Ready', 'CONDITION_FAILED', message), reason: 'REVISION_FAILED' },
        latestReadyRevision: revisionName('netra-backend-staging', 'netra-backend-staging-00024-wqz'),
        latestCreatedRevision: revisionName('netra-backend-staging', 'netra-backend-staging-00025-fck'),
      }),
      [],
    );
    expect(mapped).toMatchObject({
      name: 'netra-backend-staging',
      ready: false,
      readyMessage: message,
      latestReadyRevision: 'netra-backend-staging-00024-wqz',
      latestCreatedRevision: 'netra-backend-staging-00025-fck',
    });
  });

  it('is not ready while the terminal condition is reconciling, or missing', () => {
    expect(serviceFromPayload(authPayload({ terminalCondition: condition('Ready', 'CONDITION_RECONCILING'), reconciling: true }), []))
      .toMatchObject({ ready: false, reconciling: true });
    expect(serviceFromPayload(authPayload({ terminalCondition: null }), []).ready).toBe(false);
  });

  it('fills in what a sparse payload leaves out', () => {
    expect(serviceFromPayload({}, [])).toEqual({
      name: '',
      fullName: '',
      uri: '',
      ready: false,
      readyMessage: null,
      latestReadyRevision: null,
      latestCreatedRevision: null,
      reconciling: false,
      etag: '',
      traffic: [],
      trafficStatuses: [],
      revisions: [],
    });
  });

  it('orders revisions created at the same time by name, newest first', () => {
    const same = [revisionPayload('s', 's-00001-aaa'), revisionPayload('s', 's-00003-ccc'), revisionPayload('s', 's-00002-bbb')];
    expect(serviceFromPayload(authPayload(), same).revisions.map((r) => r.name)).toEqual(['s-00003-ccc', 's-00002-bbb', 's-00001-aaa']);
  });
});

describe('resolveRevision', () => {
  it('resolves a LATEST target to the latest ready revision and keeps a pinned one', () => {
    const s = service({ latestReadyRevision: 'netra-auth-00006-rle', latestCreatedRevision: 'netra-auth-00007-bad' });
    expect(resolveRevision(latest(100), s)).toBe('netra-auth-00006-rle');
    expect(resolveRevision(pinned('netra-auth-00005-k2p', 10), s)).toBe('netra-auth-00005-k2p');
  });

  it('is null for LATEST when nothing is ready yet', () => {
    expect(resolveRevision(latest(100), service({ latestReadyRevision: null }))).toBeNull();
  });
});

describe('servingShare', () => {
  it('is what the traffic statuses serve, per revision', () => {
    expect(servingShare(service())).toEqual(new Map([['netra-auth-00006-rle', 90], ['netra-auth-00005-k2p', 10]]));
  });

  it('resolves LATEST, adds up targets of one revision and leaves out 0 % targets', () => {
    const s = service({
      latestReadyRevision: 'netra-auth-00006-rle',
      trafficStatuses: [latest(60), pinned('netra-auth-00006-rle', 20, 'blue'), pinned('netra-auth-00005-k2p', 20), pinned('netra-auth-00001-abc', 0, 'old')],
    });
    expect(servingShare(s)).toEqual(new Map([['netra-auth-00006-rle', 80], ['netra-auth-00005-k2p', 20]]));
  });

  it('ignores the requested traffic', () => {
    const s = service({ traffic: [pinned('netra-auth-00001-abc', 100)] });
    expect(servingShare(s).has('netra-auth-00001-abc')).toBe(false);
  });
});

describe('trafficDiffers', () => {
  it('is false when the statuses match the request', () => {
    expect(trafficDiffers(service())).toBe(false);
  });

  it('is false when they match in another order', () => {
    const s = service();
    expect(trafficDiffers({ ...s, trafficStatuses: [...s.trafficStatuses].reverse() })).toBe(false);
  });

  it('is false when LATEST is served by the revision it resolves to', () => {
    const s = service({ traffic: [latest(100)], trafficStatuses: [pinned('netra-auth-00006-rle', 100)] });
    expect(trafficDiffers(s)).toBe(false);
  });

  it.each<[string, TrafficTarget[]]>([
    ['percentages differ', [pinned('netra-auth-00006-rle', 50), pinned('netra-auth-00005-k2p', 50, 'canary')]],
    ['another revision serves', [pinned('netra-auth-00001-abc', 90), pinned('netra-auth-00005-k2p', 10, 'canary')]],
    ['a tag is missing', [pinned('netra-auth-00006-rle', 90), pinned('netra-auth-00005-k2p', 10)]],
    ['a target is missing', [pinned('netra-auth-00006-rle', 90)]],
  ])('is true when %s', (_, statuses) => {
    expect(trafficDiffers(service({ trafficStatuses: statuses }))).toBe(true);
  });
});

describe('revisionTags', () => {
  it('lists the tags of each revision, 0 % targets included, LATEST resolved', () => {
    const s = service({
      latestReadyRevision: 'netra-auth-00006-rle',
      traffic: [latest(90, 'current'), pinned('netra-auth-00006-rle', 0, 'blue'), pinned('netra-auth-00005-k2p', 10, 'canary'), pinned('netra-auth-00001-abc', 0)],
    });
    expect(revisionTags(s)).toEqual(new Map([['netra-auth-00006-rle', ['current', 'blue']], ['netra-auth-00005-k2p', ['canary']]]));
  });

  it('is empty without tags', () => {
    expect(revisionTags(service({ traffic: [pinned('netra-auth-00006-rle', 100)] })).size).toBe(0);
  });
});

describe('firstLine', () => {
  it.each([
    [FAILED_MESSAGE, FAILED_TO_START],
    ['  one line  ', 'one line'],
    ['', null],
    [null, null],
  ])('%j → %j', (text, line) => {
    expect(firstLine(text)).toBe(line);
  });
});

describe('cloudRunAlerts', () => {
  it('raises nothing for healthy services serving what was asked', () => {
    expect(cloudRunAlerts([service(), service({ name: 'netra-frontend-staging' })])).toEqual([]);
  });

  it('raises a critical alert for a service that is not ready, with the first line of the reason', () => {
    expect(cloudRunAlerts([service({ ready: false, readyMessage: `Revision 'x' is not ready.\n\nLogs URL: ${LOGS_URL}` })])).toEqual([
      { level: 'critical', source: 'cloudrun', kind: 'service-not-ready', service: 'netra-auth', message: "netra-auth is not ready: Revision 'x' is not ready." },
    ]);
    expect(cloudRunAlerts([service({ ready: false, readyMessage: null })])[0]?.message).toBe('netra-auth is not ready: no reason given');
  });

  it('does not call a reconciling service not ready, nor its traffic mismatched', () => {
    const rolling = service({ ready: false, readyMessage: null, reconciling: true, trafficStatuses: [pinned('netra-auth-00001-abc', 100)] });
    expect(cloudRunAlerts([rolling])).toEqual([]);
  });

  it('warns about a failed newest revision with the first line of its message', () => {
    const failed: CloudRunRevision = { ...service().revisions[0]!, name: 'netra-auth-00007-bad', ready: false, state: 'failed', message: FAILED_MESSAGE };
    const s = service({ latestCreatedRevision: 'netra-auth-00007-bad', revisions: [failed, ...service().revisions] });
    const alerts = cloudRunAlerts([s]);
    expect(alerts).toEqual([
      { level: 'warning', source: 'cloudrun', kind: 'revision-failed', service: 'netra-auth', message: `netra-auth: newest revision netra-auth-00007-bad failed: ${FAILED_TO_START}` },
    ]);
    expect(alerts[0]!.message).not.toContain('\n');
  });

  it('ignores a failed revision that is not the newest', () => {
    const old: CloudRunRevision = { ...service().revisions[2]!, ready: false, state: 'failed', message: 'gone' };
    expect(cloudRunAlerts([service({ revisions: [...service().revisions.slice(0, 2), old] })])).toEqual([]);
  });

  it('says "not ready" for a failed newest revision without a message', () => {
    const failed: CloudRunRevision = { ...service().revisions[0]!, ready: false, state: 'failed', message: null };
    const s = service({ revisions: [failed] });
    expect(cloudRunAlerts([s])[0]?.message).toBe('netra-auth: newest revision netra-auth-00006-rle failed: not ready');
  });

  it('warns when the served traffic differs from the requested traffic', () => {
    const s = service({ trafficStatuses: [pinned('netra-auth-00005-k2p', 100)] });
    expect(cloudRunAlerts([s])).toEqual([
      { level: 'warning', source: 'cloudrun', kind: 'traffic-mismatch', service: 'netra-auth', message: 'netra-auth: served traffic differs from the requested traffic' },
    ]);
  });

  it('raises every alert of the seeded backend: not ready and newest revision failed', () => {
    const backend = serviceFromPayload(
      authPayload({
        name: `${LOCATION}/services/netra-backend-staging`,
        terminalCondition: condition('Ready', 'CONDITION_FAILED', `Revision 'netra-backend-staging-00025-fck' is not ready and cannot serve traffic. ${FAILED_MESSAGE}`),
        latestReadyRevision: revisionName('netra-backend-staging', 'netra-backend-staging-00024-wqz'),
        latestCreatedRevision: revisionName('netra-backend-staging', 'netra-backend-staging-00025-fck'),
        traffic: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: 'netra-backend-staging-00024-wqz', percent: 100, tag: '' }],
        trafficStatuses: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: 'netra-backend-staging-00024-wqz', percent: 100, tag: '' }],
      }),
      [
        revisionPayload('netra-backend-staging', 'netra-backend-staging-00025-fck', { ready: 'CONDITION_FAILED', message: FAILED_MESSAGE }),
        revisionPayload('netra-backend-staging', 'netra-backend-staging-00024-wqz', { createTime: NOV_19 }),
      ],
    );
    expect(cloudRunAlerts([backend]).map((a) => [a.level, a.kind])).toEqual([
      ['critical', 'service-not-ready'],
      ['warning', 'revision-failed'],
    ]);
  });
});

describe('reduceCloudRun', () => {
  const initial = initialCloudRunState({ mode: 'endpoint', project: 'netra-staging', region: 'us-central1', endpoint: '127.0.0.1:8085' });
  const broken = service({ ready: false, readyMessage: 'down' });
  const unreachable = { kind: 'unreachable' as const, message: 'Cloud Run endpoint 127.0.0.1:8085 unreachable (No connection established)' };

  it('starts empty and not loaded', () => {
    expect(initial).toEqual({
      mode: 'endpoint',
      project: 'netra-staging',
      region: 'us-central1',
      endpoint: '127.0.0.1:8085',
      loaded: false,
      refreshing: false,
      error: null,
      retryAt: null,
      updatedAt: null,
      services: [],
      alerts: [],
    });
  });

  it('marks a refresh in progress and keeps what it shows', () => {
    const loaded = reduceCloudRun(initial, { kind: 'data', services: [service()], at: 1_000 });
    const refreshing = reduceCloudRun(loaded, { kind: 'refreshing' });
    expect(refreshing).toEqual({ ...loaded, refreshing: true });
  });

  it('takes data: services, their alerts, the time; clears the error', () => {
    const failing = reduceCloudRun(reduceCloudRun(initial, { kind: 'refreshing' }), { kind: 'error', error: unreachable, retryAt: 5_000 });
    const state = reduceCloudRun(reduceCloudRun(failing, { kind: 'refreshing' }), { kind: 'data', services: [service(), broken], at: 7_000 });
    expect(state).toMatchObject({ loaded: true, refreshing: false, error: null, retryAt: null, updatedAt: 7_000 });
    expect(state.services.map((s) => s.ready)).toEqual([true, false]);
    expect(state.alerts).toEqual(cloudRunAlerts([service(), broken]));
    expect(state.alerts).toHaveLength(1);
  });

  it('on error keeps the last services (stale) and says when it retries', () => {
    const loaded = reduceCloudRun(initial, { kind: 'data', services: [broken], at: 1_000 });
    const state = reduceCloudRun(reduceCloudRun(loaded, { kind: 'refreshing' }), { kind: 'error', error: unreachable, retryAt: 3_000 });
    expect(state).toMatchObject({ loaded: true, refreshing: false, error: unreachable, retryAt: 3_000, updatedAt: 1_000 });
    expect(state.services).toEqual([broken]);
    expect(state.alerts).toEqual(loaded.alerts);
  });

  it('is loaded after a first error, with nothing to show', () => {
    const state = reduceCloudRun(initial, { kind: 'error', error: unreachable, retryAt: 2_000 });
    expect(state).toMatchObject({ loaded: true, services: [], error: unreachable, retryAt: 2_000 });
  });
});
