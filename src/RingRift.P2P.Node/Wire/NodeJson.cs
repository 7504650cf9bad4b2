using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using RingRift.P2P.Json;

namespace RingRift.P2P.Node.Wire;

/// <summary>
/// The node's wire options: <see cref="P2PJson.Options"/>' settings, so the same JSON, with the node's generated
/// contracts (<see cref="NodeJsonContext"/>) asked first, then the library's. There is no reflection behind them: node
/// code serializes through these, with a type's contract (<see cref="Contract{T}"/>), and a type no context names is
/// refused (<see cref="NotSupportedException"/>) in every build, as it would be in the natively compiled one.
/// </summary>
public static class NodeJson
{
    public static JsonSerializerOptions Options { get; } = P2PJson.With(NodeJsonContext.Default);

    /// <summary>The contract of <typeparamref name="T"/> under <see cref="Options"/>.</summary>
    public static JsonTypeInfo<T> Contract<T>() => Options.Contract<T>();

    /// <summary>An answer with <paramref name="value"/> as its JSON body, written through its generated contract.</summary>
    public static IResult Result<T>(T value, int? statusCode = null) =>
        TypedResults.Json(value, Contract<T>(), statusCode: statusCode);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Contract<T>());

    public static System.Text.Json.Nodes.JsonNode? ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, Contract<T>());
}
