/**
 * The service-image checks (NC2xx): is each service image of a configured stack variant on the engine, and how big.
 *
 * Sizes are reported once per image: a stack's images here, whether a container runs them or not (ServiceImageFacts
 * cover both variants of every configured stack); NC204 checks the image of a container only when it belongs to no
 * configured stack. A missing image is NC201 when the rebuild flow can make it, NC202 when it cannot: the one-key
 * fix (safeFix) belongs to the catalogue entry, so the two cases are two entries and each missing image fails one.
 */
import { MB } from '../build-analysis';
import { fail, locationText, megabytes, pass, skip } from './finding';
import type { CheckDefinition, CheckFinding, ServiceImageFacts } from './types';

/** 001 "Alerting Thresholds": image_size warning 250MB, critical 500MB (004: backend image < 500MB). */
export const IMAGE_WARNING_BYTES = 250 * MB;
export const IMAGE_ERROR_BYTES = 500 * MB;

/** An image's size against the guides' thresholds: over 250 MB a warning, over 500 MB an error. */
export function imageSizeFinding(image: string, sizeBytes: number): CheckFinding {
  const seen = `${image} is ${megabytes(sizeBytes)} (warning over ${megabytes(IMAGE_WARNING_BYTES)}, error over ${megabytes(IMAGE_ERROR_BYTES)})`;
  if (sizeBytes > IMAGE_ERROR_BYTES) return fail([seen], { severity: 'error' });
  if (sizeBytes > IMAGE_WARNING_BYTES) return fail([seen], { severity: 'warning' });
  return pass(seen);
}

export const IMAGE_SIZE_FIX =
  'Shrink the image: an Alpine base, a multi-stage build leaving build tools behind, production-only dependencies (002 Optimization Recommendations, 004)';

const target = (f: ServiceImageFacts) => `${f.stack} ${f.variant} service ${f.service}`;
const declared = (f: ServiceImageFacts) => (f.composeLocation ? `services.${f.service} in ${locationText(f.composeLocation)}` : `services.${f.service}`);
const imageList = (f: ServiceImageFacts) => `docker image ls ${f.image}`;
const presentEvidence = (f: ServiceImageFacts) => `${f.image} is on the engine (${target(f)})`;
const missingEvidence = (f: ServiceImageFacts) => `${f.image} is not on the engine (${target(f)}): that variant cannot start until it is there`;
const location = (f: ServiceImageFacts) => (f.composeLocation ? { location: f.composeLocation } : {});

const missingBuildable: CheckDefinition<ServiceImageFacts> = {
  code: 'NC201',
  title: 'Service image missing (buildable)',
  // A warning: a variant nobody runs yet (staging never built) is not a fault; a switch or rebuild preflight stops on it.
  severity: 'warning',
  scope: 'service',
  guide: '001 Troubleshooting: Issue 1 (Alpine Image Not Found)',
  fix: 'Build it: open the rebuild flow, or `docker compose -f <file> build <service>` (nothing is pulled)',
  command: imageList,
  safeFix: 'open-rebuild',
  probe: (f) => {
    if (f.present) return pass(presentEvidence(f));
    if (!f.buildable) return skip(`${f.image} is missing but has no build section: see NC202`);
    const fix = `build it: open the rebuild flow for ${f.stack} (${f.variant}), or \`docker compose build ${f.service}\` with that variant's compose files; ${declared(f)} has a build section`;
    return fail([missingEvidence(f), `${declared(f)} has a build section`], { fix, ...location(f) });
  },
};

const missingUnbuildable: CheckDefinition<ServiceImageFacts> = {
  code: 'NC202',
  title: 'Service image missing (not buildable here)',
  severity: 'warning',
  scope: 'service',
  guide: '001 Troubleshooting: Issue 1 (Alpine Image Not Found)',
  fix: 'Load the image onto the engine yourself (`docker load -i IMAGE.tar`, or from a registry you can reach): the service has no build section and the console never pulls',
  command: imageList,
  probe: (f) => {
    if (f.present) return pass(presentEvidence(f));
    if (f.buildable) return skip(`${f.image} is missing but can be built: see NC201`);
    const fix = `load ${f.image} onto the engine yourself (\`docker load -i IMAGE.tar\`, or from a registry you can reach): ${declared(f)} has no build section and the console never pulls`;
    return fail([missingEvidence(f), `${declared(f)} has no build section`], { fix, ...location(f) });
  },
};

const serviceImageSize: CheckDefinition<ServiceImageFacts> = {
  code: 'NC203',
  title: 'Service image size',
  severity: 'warning',
  scope: 'service',
  guide: '001 Alerting Thresholds: image_size',
  fix: IMAGE_SIZE_FIX,
  command: imageList,
  probe: (f) => {
    if (!f.present) return skip(`${f.image} is not on the engine: see NC201/NC202`);
    if (f.sizeBytes === null) return skip(`the size of ${f.image} was not read`);
    return imageSizeFinding(f.image, f.sizeBytes);
  },
};

export const SERVICE_IMAGE_CHECKS: readonly CheckDefinition<ServiceImageFacts>[] = [missingBuildable, missingUnbuildable, serviceImageSize];
