// The messages the sandbox sends and receives, typed with the official clients' generated interfaces. Field names
// are camelCase (the protos JSON already is), int64 values travel as strings and enums as their names, exactly as
// google-gax's proto loader hands them over (protos.ts loads them through it).
import type { protos as loggingProtos } from '@google-cloud/logging';
import type { protos as runProtos } from '@google-cloud/run';

export type Service = runProtos.google.cloud.run.v2.IService;
export type Revision = runProtos.google.cloud.run.v2.IRevision;
export type RevisionTemplate = runProtos.google.cloud.run.v2.IRevisionTemplate;
export type Condition = runProtos.google.cloud.run.v2.ICondition;
export type TrafficTarget = runProtos.google.cloud.run.v2.ITrafficTarget;
export type TrafficTargetStatus = runProtos.google.cloud.run.v2.ITrafficTargetStatus;
export type Container = runProtos.google.cloud.run.v2.IContainer;
export type ListServicesRequest = runProtos.google.cloud.run.v2.IListServicesRequest;
export type ListServicesResponse = runProtos.google.cloud.run.v2.IListServicesResponse;
export type GetServiceRequest = runProtos.google.cloud.run.v2.IGetServiceRequest;
export type UpdateServiceRequest = runProtos.google.cloud.run.v2.IUpdateServiceRequest;
export type ListRevisionsRequest = runProtos.google.cloud.run.v2.IListRevisionsRequest;
export type ListRevisionsResponse = runProtos.google.cloud.run.v2.IListRevisionsResponse;
export type GetRevisionRequest = runProtos.google.cloud.run.v2.IGetRevisionRequest;
export type Operation = runProtos.google.longrunning.IOperation;
export type GetOperationRequest = runProtos.google.longrunning.IGetOperationRequest;
export type Timestamp = runProtos.google.protobuf.ITimestamp;
export type Duration = runProtos.google.protobuf.IDuration;
export type Any = runProtos.google.protobuf.IAny;

export type LogEntry = loggingProtos.google.logging.v2.ILogEntry;
export type WriteLogEntriesRequest = loggingProtos.google.logging.v2.IWriteLogEntriesRequest;
export type WriteLogEntriesResponse = loggingProtos.google.logging.v2.IWriteLogEntriesResponse;
export type ListLogEntriesRequest = loggingProtos.google.logging.v2.IListLogEntriesRequest;
export type ListLogEntriesResponse = loggingProtos.google.logging.v2.IListLogEntriesResponse;
export type TailLogEntriesRequest = loggingProtos.google.logging.v2.ITailLogEntriesRequest;
export type TailLogEntriesResponse = loggingProtos.google.logging.v2.ITailLogEntriesResponse;
export type Struct = loggingProtos.google.protobuf.IStruct;
export type Value = loggingProtos.google.protobuf.IValue;
