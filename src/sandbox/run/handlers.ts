import type { grpc } from 'google-gax';
import { parseLocation, parseRevision, parseService } from '../names';
import { pageOf } from '../paging';
import { unary, type CallEnv } from '../rpc';
import type * as w from '../wire';
import type { Operations } from './operations';
import type { CloudRun } from './state';

export function servicesHandlers(run: CloudRun, env: CallEnv, pageSize: number): grpc.UntypedServiceImplementation {
  const service = 'google.cloud.run.v2.Services';
  return {
    ListServices: unary(
      { service, method: 'ListServices' },
      env,
      (request: w.ListServicesRequest): w.ListServicesResponse => {
        const parent = request.parent ?? '';
        const { page, nextPageToken } = pageOf(run.listServices(parseLocation(parent)), request, pageSize, parent);
        return { services: page, nextPageToken };
      },
    ),
    GetService: unary({ service, method: 'GetService' }, env, (request: w.GetServiceRequest): w.Service =>
      run.getService(parseService(request.name ?? '')),
    ),
    UpdateService: unary({ service, method: 'UpdateService' }, env, (request: w.UpdateServiceRequest): w.Operation =>
      run.updateService(request),
    ),
  };
}

export function revisionsHandlers(run: CloudRun, env: CallEnv, pageSize: number): grpc.UntypedServiceImplementation {
  const service = 'google.cloud.run.v2.Revisions';
  return {
    ListRevisions: unary(
      { service, method: 'ListRevisions' },
      env,
      (request: w.ListRevisionsRequest): w.ListRevisionsResponse => {
        const parent = request.parent ?? '';
        const { page, nextPageToken } = pageOf(
          run.listRevisions(parseService(parent, true)),
          request,
          pageSize,
          parent,
        );
        return { revisions: page, nextPageToken };
      },
    ),
    GetRevision: unary({ service, method: 'GetRevision' }, env, (request: w.GetRevisionRequest): w.Revision =>
      run.getRevision(parseRevision(request.name ?? '')),
    ),
  };
}

/** GetOperation only; the other Operations methods answer UNIMPLEMENTED (grpc-js does that for missing handlers). */
export function operationsHandlers(operations: Operations, env: CallEnv): grpc.UntypedServiceImplementation {
  return {
    GetOperation: unary(
      { service: 'google.longrunning.Operations', method: 'GetOperation' },
      env,
      (request: w.GetOperationRequest): w.Operation => operations.get(request.name ?? ''),
    ),
  };
}
