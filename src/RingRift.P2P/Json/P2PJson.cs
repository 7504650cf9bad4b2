using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RingRift.P2P.Json;

/// <summary>The one set of JSON options used on the wire: snake_case names, lower-case enums.</summary>
public static class P2PJson
{
    /// <summary>
    /// The wire options. Contracts come from <see cref="P2PJsonContext"/> (generated at compile time) and, for any
    /// other type or one with <c>init</c> properties (<see cref="InitOnlySafeResolver"/>), from reflection, which gives
    /// the same JSON: the generated contracts only save the work.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = Create(P2PJsonContext.Default);

    /// <summary>
    /// <see cref="Options"/> with <paramref name="contracts"/> asked first: how an assembly above this one (the node)
    /// adds the generated contracts of its own types. The settings, and so the JSON, are those of <see cref="Options"/>.
    /// </summary>
    public static JsonSerializerOptions With(IJsonTypeInfoResolver contracts) => Create(contracts, P2PJsonContext.Default);

    private static JsonSerializerOptions Create(params IJsonTypeInfoResolver[] contracts)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            NumberHandling = JsonNumberHandling.Strict,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            TypeInfoResolver = JsonTypeInfoResolver.Combine([.. contracts.Select(c => new InitOnlySafeResolver(c)), new DefaultJsonTypeInfoResolver()]),
        };
        options.MakeReadOnly();
        return options;
    }
}
