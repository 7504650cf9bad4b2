using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace RingRift.P2P.Json;

/// <summary>
/// Gives the generated contracts of <paramref name="generated"/> except those that build their type through an
/// object initializer (types with <c>init</c> properties): generated code sets every such property, so one missing
/// from the JSON gets <c>default</c> instead of the value the type gives it (<c>Config = new()</c>, <c>Priority = 50</c>,
/// an empty list; dotnet/runtime#84484), where reflection leaves it alone. Those types are left to the next resolver
/// (reflection), so a message from an older node without a newer field reads as it always did.
/// </summary>
public sealed class InitOnlySafeResolver(IJsonTypeInfoResolver generated) : IJsonTypeInfoResolver
{
    public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options)
    {
        var contract = generated.GetTypeInfo(type, options);
        return contract is { Kind: JsonTypeInfoKind.Object } && contract.Properties.Any(p => p.AssociatedParameter is { IsMemberInitializer: true })
            ? null
            : contract;
    }
}
