/**
 * NC6xx: a Cloud Run service after a deploy, as guide 000 has it checked: the newest revision came up, the service
 * is Ready, and its error rate is under the alert threshold. Commands name no region or project (the facts do not
 * carry them): gcloud uses its configured ones or asks.
 */
import { fail, pass, skip } from './finding';
import { shellWord } from './shell-word';
import type { CheckDefinition, CloudRunFacts } from './types';

/** 000 "Alert Thresholds": Error Rate > 1%: Critical. */
const ERROR_RATE_CRITICAL_PERCENT = 1;
/** 000 "Key Metrics to Monitor": Error Rate should be under 0.1%. */
const ERROR_RATE_TARGET_PERCENT = 0.1;
/** Lines of a Cloud Run condition message quoted (the rest is a logs URL and a troubleshooting link). */
const MAX_MESSAGE_LINES = 3;

function messageLines(message: string | null): string[] {
  return (message ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, MAX_MESSAGE_LINES);
}

const newestRevision: CheckDefinition<CloudRunFacts> = {
  code: 'NC601',
  title: 'Newest revision started',
  severity: 'error',
  scope: 'cloudrun',
  guide: '000 Rollback Procedure (revert a service to its previous revision)',
  fix: 'roll traffic back to the last ready revision, then fix what the revision message names before deploying again',
  command: (f) => (f.latestRevision ? `gcloud run revisions describe ${shellWord(f.latestRevision.name)}` : `gcloud run revisions list --service ${shellWord(f.service)}`),
  safeFix: 'open-rollback',
  probe: (f) => {
    const revision = f.latestRevision;
    if (!revision) return skip(`no revision of ${f.service} was read`);
    if (revision.state === 'pending') return skip(`newest revision ${revision.name} is still being created: not failed or ready yet`);
    if (revision.state === 'ready') return pass(`newest revision ${revision.name} is ready`);
    const said = messageLines(revision.message);
    return fail([`newest revision ${revision.name} failed`, ...(said.length > 0 ? said : ['Cloud Run gave no message'])]);
  },
};

const serviceReady: CheckDefinition<CloudRunFacts> = {
  code: 'NC602',
  title: 'Service Ready',
  severity: 'error',
  scope: 'cloudrun',
  guide: '000 Deployment Process: 3. Post-Deployment Verification (check service status)',
  fix: 'read the Ready condition message: if the newest revision failed, roll back to the last ready one; otherwise fix what it names',
  command: (f) => `gcloud run services describe ${shellWord(f.service)}`,
  probe: (f) => {
    if (f.reconciling) return skip(`rolling out: ${f.service} is reconciling, so Ready is not final yet`);
    if (f.ready) return pass(`${f.service} is Ready`);
    const said = messageLines(f.readyMessage);
    return fail([`${f.service} is not Ready`, ...(said.length > 0 ? said : ['its Ready condition has no message'])]);
  },
};

function windowText(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/** Rounded down to two decimals, as the console prints percentages (never rounded up over a threshold). */
function percentOf(errors: number, total: number): string {
  return (Math.floor((errors * 10_000) / total) / 100).toFixed(2);
}

const errorRate: CheckDefinition<CloudRunFacts> = {
  code: 'NC603',
  title: 'Error rate under 1 %',
  severity: 'error',
  scope: 'cloudrun',
  guide: '000 Monitoring and Alerts: Alert Thresholds (Error Rate > 1%: Critical)',
  fix: 'read the ERROR entries of the window: if they started with the newest revision, roll back to the last ready one',
  command: (f) => {
    const filter = `resource.type="cloud_run_revision" AND resource.labels.service_name="${f.service}" AND severity>=ERROR`;
    return `gcloud logging read '${filter}'${f.errorRate ? ` --freshness=${f.errorRate.windowSeconds}s` : ''}`;
  },
  probe: (f) => {
    const rate = f.errorRate;
    if (!rate) return skip(`the logs of ${f.service} were not read: no error rate to judge`);
    const window = windowText(rate.windowSeconds);
    if (rate.total === 0) return skip(`${f.service} wrote no log entries in the last ${window}: no error rate to judge`);
    const seen = `${rate.errors} of ${rate.total} log entries in the last ${window} were ERROR or worse (${percentOf(rate.errors, rate.total)} %)`;
    // Judged on the exact rate, not the printed (rounded down) figure.
    const percent = (rate.errors * 100) / rate.total;
    if (percent > ERROR_RATE_CRITICAL_PERCENT) return fail([`${seen}: over the ${ERROR_RATE_CRITICAL_PERCENT} % critical threshold`]);
    const target = percent > ERROR_RATE_TARGET_PERCENT ? `, but over the ${ERROR_RATE_TARGET_PERCENT} % target` : '';
    return pass(`${seen}: under the ${ERROR_RATE_CRITICAL_PERCENT} % critical threshold${target}`);
  },
};

export const CLOUD_RUN_CHECKS: readonly CheckDefinition<CloudRunFacts>[] = [newestRevision, serviceReady, errorRate];
