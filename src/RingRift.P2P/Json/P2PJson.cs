using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RingRift.P2P.Json;

/// <summary>The one set of JSON options used on the wire: snake_case names, lower-case enums.</summary>
public static class P2PJson
{
    /// <summary>
    /// The wire options. Every contract comes from code generated at compile time (<see cref="P2PJsonContext"/>), none
    /// from reflection, so the node compiles ahead of time (Native AOT) and a type no context names fails at once
    /// (<see cref="NotSupportedException"/> naming it) in every build, not only in the native one.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = Create(P2PJsonContext.Default);

    /// <summary>
    /// <see cref="Options"/> with <paramref name="contracts"/> asked first: how an assembly above this one (the node)
    /// adds the generated contracts of its own types. The settings, and so the JSON, are those of <see cref="Options"/>.
    /// </summary>
    public static JsonSerializerOptions With(params IJsonTypeInfoResolver[] contracts) => Create([.. contracts, P2PJsonContext.Default]);

    /// <summary>The contract of <typeparamref name="T"/> under <paramref name="options"/>, for the serializer's overloads that need no reflection.</summary>
    public static JsonTypeInfo<T> Contract<T>(this JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));

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
            TypeInfoResolver = JsonTypeInfoResolver.Combine(contracts),
        };
        options.MakeReadOnly();
        return options;
    }
}
