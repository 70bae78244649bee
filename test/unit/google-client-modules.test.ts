// The console loads the Google clients from their own modules (smaller than the packages' indexes); these must be
// the very classes the packages export, so the console runs the official clients and nothing else.
import { describe, expect, it } from 'vitest';

describe('the Google clients the console loads', () => {
  it('are @google-cloud/run’s ServicesClient and RevisionsClient', async () => {
    const run = await import('@google-cloud/run');
    const { ServicesClient } = await import('@google-cloud/run/build/src/v2/services_client.js');
    const { RevisionsClient } = await import('@google-cloud/run/build/src/v2/revisions_client.js');
    expect(ServicesClient).toBe(run.ServicesClient);
    expect(RevisionsClient).toBe(run.RevisionsClient);
  });

  it('is @google-cloud/logging’s v2.LoggingServiceV2Client', async () => {
    const { v2 } = (await import('@google-cloud/logging')) as { v2: { LoggingServiceV2Client: unknown } };
    const { LoggingServiceV2Client } = await import('@google-cloud/logging-api/build/src/v2/logging_service_v2_client.js');
    expect(LoggingServiceV2Client).toBe(v2.LoggingServiceV2Client);
  });
});
