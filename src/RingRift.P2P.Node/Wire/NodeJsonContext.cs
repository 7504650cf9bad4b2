using System.Text.Json;
using System.Text.Json.Serialization;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Node.Dashboard;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Node.Sync;

namespace RingRift.P2P.Node.Wire;

/// <summary>
/// Compile-time JSON contracts (the System.Text.Json source generator) for the node's own types on its start-up
/// and status paths: <c>/status</c>, <c>/health</c> and the other status answers, heartbeats, error answers and the
/// data-dir file <c>peers.json</c>; every type they contain comes with them. Without these the release executable
/// compiles the serializer code of each type at run time before it answers its first <c>/status</c> (docs/footprint.md).
/// The options must be exactly those of <see cref="RingRift.P2P.Json.P2PJson.Options"/> (a test compares them); other
/// types, and those with <c>init</c> properties (<see cref="RingRift.P2P.Json.InitOnlySafeResolver"/>: a node's summary,
/// the queue counts), fall back to reflection with the same JSON.
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
public sealed partial class NodeJsonContext : JsonSerializerContext;
