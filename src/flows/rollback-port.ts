import type { CloudRunService, TrafficTarget } from '../domain/cloud-run';

/** What the rollback flow needs from Cloud Run; the composition root implements it with the official client. */
export interface RollbackPort {
  readService(fullName: string): Promise<CloudRunService>;
  updateTraffic(fullName: string, traffic: readonly TrafficTarget[], etag: string): Promise<string>;
  operationDone(operationName: string): Promise<boolean>;
}
