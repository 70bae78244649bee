/** `netra-console doctor`: the runbook checks once, headless; exit 0 fine, 1 something failed at the threshold, 2 bad usage. */
import { UsageError } from '../config/errors';
import { selectionText, type DoctorSelection } from '../domain/checks/selection';
import { evaluateChecks, failsAt } from '../flows/doctor-run';
import { createDockerClient } from '../sources/docker/client';
import { gatherDoctorFacts } from '../sources/doctor/gather';
import { defaultMeasurementsPath, loadMeasurements } from '../sources/stack-measurements';
import type { CliOptions } from './args';
import { cloudRunEndpointLabel } from './cloud-run-settings';
import { openTarget } from './cloud-run-runtime';
import { doctorDocument, doctorJson, doctorText } from './doctor-report';
import { findStack } from './stack-runtime';
import type { Settings } from './settings';

export async function runDoctorCommand(settings: Settings, options: CliOptions): Promise<number> {
  const selection: DoctorSelection = { stack: options.stack, service: options.service, container: options.container };
  // An unknown stack is a usage error before anything is read.
  if (selection.stack !== undefined) findStack(settings, selection.stack);
  const started = performance.now();
  const wantsCloud = !selection.stack && !selection.container;
  const cloud = wantsCloud ? await openTarget(settings.cloudRun) : null;
  const docker = createDockerClient(settings.endpoint);
  try {
    const facts = await gatherDoctorFacts(
      {
        docker,
        endpoint: settings.endpoint,
        dockerCli: settings.config.docker.cli,
        stacks: settings.stacks,
        projects: settings.config.docker.projects,
        cloudRun: cloud ? { target: cloud.target, services: settings.cloudRun.services } : null,
        measurements: loadMeasurements(defaultMeasurementsPath(process.env)).measurements,
      },
      selection,
    );
    const missing = selection.container ? facts.failures.find((f) => f.scope === 'container' && f.message.startsWith('no container named')) : undefined;
    if (missing) throw new UsageError(`${missing.message}; see the names with: netra-console status`);
    const results = evaluateChecks(facts, selection, settings.config.doctor.exclude);
    const source = cloud ? { mode: settings.cloudRun.mode, endpoint: cloudRunEndpointLabel(settings.cloudRun) } : null;
    const document = doctorDocument(results, selectionText(selection), (performance.now() - started) / 1000, source);
    process.stdout.write(options.json ? doctorJson(document) : doctorText(document));
    return failsAt(results, options.failOn) ? 1 : 0;
  } finally {
    await cloud?.stopSandbox();
  }
}
