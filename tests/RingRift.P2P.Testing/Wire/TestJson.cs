using System.Text.Json;
using System.Text.Json.Serialization;
using RingRift.P2P.Json;
using RingRift.P2P.Models;
using RingRift.P2P.Testing.History;

namespace RingRift.P2P.Testing.Wire;

/// <summary>
/// The wire options (<see cref="P2PJson.Options"/>' settings and contracts) plus contracts for shapes only tests write:
/// the wire options refuse a type no generated context names, as the natively compiled node does.
/// </summary>
public static class TestJson
{
    public static JsonSerializerOptions Options { get; } = P2PJson.With(TestJsonContext.Default);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(HistoryOp))]
[JsonSerializable(typeof(Dictionary<JobType, JobType[]>))]
public sealed partial class TestJsonContext : JsonSerializerContext;
