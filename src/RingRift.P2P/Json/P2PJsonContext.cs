using System.Text.Json;
using System.Text.Json.Serialization;
using RingRift.P2P.Coordination;
using RingRift.P2P.Election;
using RingRift.P2P.Loops;

namespace RingRift.P2P.Json;

/// <summary>
/// Compile-time JSON contracts (the System.Text.Json source generator) for this assembly's messages on the hot
/// paths: the Bully election's and the queue replica's. <see cref="P2PJson.Options"/> asks this context first and
/// reflection for other types and for types with <c>init</c> properties (<see cref="InitOnlySafeResolver"/>: the work
/// item, a node's summary, the queue counts). With these contracts a node compiles less serializer code at run time,
/// so the ahead-of-time compiled release executable starts sooner (docs/footprint.md). The options below must be
/// exactly those of <see cref="P2PJson.Options"/>: a test compares them.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(LeaseRequest))]
[JsonSerializable(typeof(LeaseResponse))]
[JsonSerializable(typeof(ElectionProbe))]
[JsonSerializable(typeof(ElectionProbeResponse))]
[JsonSerializable(typeof(LeaderAnnouncement))]
[JsonSerializable(typeof(AnnouncementAck))]
[JsonSerializable(typeof(ReplicateRequest))]
[JsonSerializable(typeof(ReplicateAck))]
[JsonSerializable(typeof(ReplicaSyncRequest))]
[JsonSerializable(typeof(ReplicaSyncResponse))]
[JsonSerializable(typeof(WorkDependencies))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, LoopStatus>))]
public sealed partial class P2PJsonContext : JsonSerializerContext;
