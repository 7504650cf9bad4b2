using System.Text.Json;
using System.Text.Json.Serialization;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Node.Dashboard;
using RingRift.P2P.Node.Jobs;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Node.Sync;

namespace RingRift.P2P.Node.Wire;

/// <summary>
/// Compile-time JSON contracts (the System.Text.Json source generator) for every node type that travels as JSON: the
/// HTTP API's answers and the bodies it reads, heartbeats, the peer client's messages and the data-dir files
/// (<c>peers.json</c>, running jobs' state). With the library's (<see cref="RingRift.P2P.Json.P2PJsonContext"/>) they
/// are all the contracts <see cref="NodeJson.Options"/> has: no reflection, so the node compiles ahead of time. The
/// options must be exactly those of <see cref="RingRift.P2P.Json.P2PJson.Options"/> (a test compares them).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(LoopsHealthResponse))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(HeartbeatRequest))]
[JsonSerializable(typeof(HeartbeatResponse))]
[JsonSerializable(typeof(List<PeerStore.StoredPeer>))]
[JsonSerializable(typeof(TrainingStatusResponse))]
[JsonSerializable(typeof(CoordinatorStatus))]
[JsonSerializable(typeof(SwimStatusResponse))]
[JsonSerializable(typeof(SwimMembersResponse))]
[JsonSerializable(typeof(SyncManifest))]
[JsonSerializable(typeof(SyncStatusSnapshot))]
[JsonSerializable(typeof(JobsResponse))]
[JsonSerializable(typeof(EventsResponse))]
[JsonSerializable(typeof(QueueHistoryResponse))]
[JsonSerializable(typeof(RaftStatusResponse))]
[JsonSerializable(typeof(JobLogResponse))]
[JsonSerializable(typeof(PeerStore.StoredPeer))]
[JsonSerializable(typeof(RunningJobState))]
[JsonSerializable(typeof(WorkAdded))]
[JsonSerializable(typeof(WorkClaimed))]
[JsonSerializable(typeof(ClaimAnswer))]
[JsonSerializable(typeof(WorkChanged))]
[JsonSerializable(typeof(WorkList))]
[JsonSerializable(typeof(BatchAdded))]
[JsonSerializable(typeof(BatchClaimed))]
[JsonSerializable(typeof(NodeWork))]
[JsonSerializable(typeof(WorkHistory))]
public sealed partial class NodeJsonContext : JsonSerializerContext;
