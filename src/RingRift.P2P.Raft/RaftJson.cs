using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using RingRift.P2P.Json;

namespace RingRift.P2P.Raft;

/// <summary>The state machine's JSON: the wire options (<see cref="P2PJson.Options"/>) with this assembly's contracts.</summary>
internal static class RaftJson
{
    public static JsonSerializerOptions Options { get; } = P2PJson.With(RaftJsonContext.Default);

    /// <summary>The snapshot document's contract under <see cref="Options"/>.</summary>
    public static JsonTypeInfo<WorkQueueSnapshot> Snapshot { get; } = Options.Contract<WorkQueueSnapshot>();
}

/// <summary>
/// Compile-time contracts of the snapshot document and all it holds, and of the job assignments' counts. The options must be exactly those of
/// <see cref="P2PJson.Options"/> (a test compares them).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(WorkQueueSnapshot))]
[JsonSerializable(typeof(JobAssignmentStats))]
internal sealed partial class RaftJsonContext : JsonSerializerContext;
