using System.Text.Json;
using RingRift.P2P.Json;

namespace RingRift.P2P.Node.Wire;

/// <summary>
/// The node's wire options: <see cref="P2PJson.Options"/>' settings, so the same JSON, with the node's generated
/// contracts (<see cref="NodeJsonContext"/>) asked first, then the library's, then reflection. Node code serializes
/// with these; <see cref="P2PJson.Options"/> cannot know the node's types (it lives in the library below).
/// </summary>
public static class NodeJson
{
    public static JsonSerializerOptions Options { get; } = P2PJson.With(NodeJsonContext.Default);
}
