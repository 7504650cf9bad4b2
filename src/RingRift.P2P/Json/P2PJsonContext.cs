using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using RingRift.P2P.Config;
using RingRift.P2P.Coordination;
using RingRift.P2P.Election;
using RingRift.P2P.Loops;
using RingRift.P2P.Models;
using RingRift.P2P.Scheduling;
using RingRift.P2P.Training;

namespace RingRift.P2P.Json;

/// <summary>
/// Compile-time JSON contracts (the System.Text.Json source generator) for this assembly's types that travel as JSON:
/// the Bully election's and the queue replica's messages, the work item, webhook payload values. They are the only
/// contracts <see cref="P2PJson.Options"/> has (no reflection), so the node runs compiled ahead of time. The options
/// below must be exactly those of <see cref="P2PJson.Options"/>: a test compares them. A type deserialized here whose
/// <c>init</c> property has an initializer would lose that default when the JSON lacks the field (generated code sets
/// every <c>init</c> property; dotnet/runtime#84484), so such properties are settable; a test finds any that are not.
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
[JsonSerializable(typeof(WorkItem))]
[JsonSerializable(typeof(QueueStats))]
[JsonSerializable(typeof(NodeSummary))]
[JsonSerializable(typeof(JobStatus))]
[JsonSerializable(typeof(MembershipMode))]
[JsonSerializable(typeof(ConsensusMode))]
// The leader's loops' reports (/status, /queue/history).
[JsonSerializable(typeof(DispatchRound))]
[JsonSerializable(typeof(Placement))]
[JsonSerializable(typeof(RequeueTick))]
[JsonSerializable(typeof(NodeDeclaredDead))]
[JsonSerializable(typeof(TrainingSnapshot))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, LoopStatus>))]
// Webhook payload values (PayloadText.WriteValue): what ClusterEvents turns a payload's JSON into.
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class P2PJsonContext : JsonSerializerContext;
