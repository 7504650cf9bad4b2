using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RingRift.P2P.Testing.Wire;

/// <summary>
/// Compares the JSON contracts a source-generated <see cref="JsonSerializerContext"/> gives with those reflection
/// gives for the same types under the same options: what each type's JSON looks like (property names and order,
/// required, nullable, ignored, number handling, converters, constructor parameters) and which settings the
/// generated code was compiled with. A difference means the generated contract writes or reads other JSON.
/// </summary>
public static class GeneratedContracts
{
    /// <summary>Every type <paramref name="context"/> has a generated contract for (its roots and all they contain).</summary>
    public static IReadOnlyList<Type> TypesOf(JsonSerializerContext context) =>
        context.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(JsonTypeInfo<>))
            .Select(p => p.PropertyType.GetGenericArguments()[0])
            .ToArray();

    /// <summary><paramref name="options"/> with reflection as the only source of contracts, every setting kept.</summary>
    public static JsonSerializerOptions ReflectionOnly(JsonSerializerOptions options)
    {
        var copy = new JsonSerializerOptions(options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        copy.MakeReadOnly();
        return copy;
    }

    /// <summary>The settings (every public property but the contract sources) in which <paramref name="a"/> and <paramref name="b"/> differ.</summary>
    public static IReadOnlyList<string> SettingDifferences(JsonSerializerOptions a, JsonSerializerOptions b)
    {
        string[] sources = [nameof(JsonSerializerOptions.TypeInfoResolver), nameof(JsonSerializerOptions.TypeInfoResolverChain),
            nameof(JsonSerializerOptions.IsReadOnly)];
        var differences = new List<string>();
        foreach (var property in typeof(JsonSerializerOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (sources.Contains(property.Name) || property.GetIndexParameters().Length > 0) continue;
            var (x, y) = (property.GetValue(a), property.GetValue(b));
            var same = property.Name == nameof(JsonSerializerOptions.Converters)
                ? ((IList<JsonConverter>)x!).Select(c => c.GetType()).SequenceEqual(((IList<JsonConverter>)y!).Select(c => c.GetType()))
                : Equals(x, y);
            if (!same) differences.Add($"{property.Name}: {x ?? "null"} / {y ?? "null"}");
        }
        return differences;
    }

    /// <summary>
    /// Where the contract of <paramref name="type"/> under <paramref name="generated"/> differs from the one under
    /// <paramref name="reflection"/>: one line per difference, naming the type and property.
    /// </summary>
    public static IReadOnlyList<string> Differences(Type type, JsonSerializerOptions generated, JsonSerializerOptions reflection)
    {
        var (g, r) = (generated.GetTypeInfo(type), reflection.GetTypeInfo(type));
        var differences = new List<string>();
        void Compare(string what, object? x, object? y)
        {
            if (!Equals(x, y)) differences.Add($"{type.Name}{what}: generated {x ?? "null"}, reflection {y ?? "null"}");
        }

        Compare(" kind", g.Kind, r.Kind);
        Compare(" number handling", g.NumberHandling, r.NumberHandling);
        Compare(" unmapped members", g.UnmappedMemberHandling, r.UnmappedMemberHandling);
        Compare(" object creation", g.PreferredPropertyObjectCreationHandling, r.PreferredPropertyObjectCreationHandling);
        Compare(" polymorphism", g.PolymorphismOptions?.TypeDiscriminatorPropertyName, r.PolymorphismOptions?.TypeDiscriminatorPropertyName);
        Compare(" element type", g.ElementType, r.ElementType);
        Compare(" key type", g.KeyType, r.KeyType);
        // Objects get their converter from the contract source; anything else (numbers, strings, enums, the node's own converters) must convert alike.
        if (g.Kind == JsonTypeInfoKind.None) Compare(" converter", g.Converter.GetType(), r.Converter.GetType());
        Compare(" properties", string.Join(",", g.Properties.Select(p => p.Name)), string.Join(",", r.Properties.Select(p => p.Name)));

        foreach (var (gp, rp) in g.Properties.Zip(r.Properties))
        {
            var at = $".{gp.Name}";
            // An ignored property keeps a place in the generated contract under an object type; neither side reads or writes it.
            var ignored = rp.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), true)
                .Cast<JsonIgnoreAttribute>().Any(a => a.Condition == JsonIgnoreCondition.Always) == true;
            if (!ignored) Compare(at + " type", gp.PropertyType, rp.PropertyType);
            Compare(at + " readable", gp.Get is not null, rp.Get is not null);
            Compare(at + " writable", gp.Set is not null, rp.Set is not null);
            Compare(at + " required", gp.IsRequired, rp.IsRequired);
            Compare(at + " extension data", gp.IsExtensionData, rp.IsExtensionData);
            Compare(at + " conditionally written", gp.ShouldSerialize is not null, rp.ShouldSerialize is not null);
            Compare(at + " number handling", gp.NumberHandling, rp.NumberHandling);
            Compare(at + " object creation", gp.ObjectCreationHandling, rp.ObjectCreationHandling);
            Compare(at + " custom converter", gp.CustomConverter?.GetType(), rp.CustomConverter?.GetType());
            Compare(at + " order", gp.Order, rp.Order);
            Compare(at + " null written", gp.IsGetNullable, rp.IsGetNullable);
            Compare(at + " null read", gp.IsSetNullable, rp.IsSetNullable);
            Compare(at + " constructor parameter", Parameter(gp.AssociatedParameter), Parameter(rp.AssociatedParameter));
        }
        return differences;
    }

    /// <summary>
    /// The <c>init</c> properties of <paramref name="type"/> whose initializer gives them a value other than
    /// <c>default</c>. Generated code builds such a type through an object initializer that sets every <c>init</c>
    /// property, so one missing from the JSON would read as <c>default</c> and lose the type's own value
    /// (dotnet/runtime#84484): a type read from JSON must make such a property settable. One line per property.
    /// </summary>
    public static IReadOnlyList<string> InitializedInitProperties(Type type, JsonSerializerOptions generated)
    {
        var contract = generated.GetTypeInfo(type);
        if (contract.Kind != JsonTypeInfoKind.Object) return [];
        var initialized = contract.Properties.Where(p => p.AssociatedParameter is { IsMemberInitializer: true }).ToList();
        if (initialized.Count == 0) return [];
        object instance;
        try
        {
            instance = New(type);
        }
        catch (Exception e) when (e is MissingMethodException or TargetInvocationException or ArgumentException)
        {
            return [$"{type.Name}: has init properties set by the generated contract and cannot be built to check their defaults ({e.GetType().Name})"];
        }
        var problems = new List<string>();
        foreach (var property in initialized)
        {
            if (property.AttributeProvider is not PropertyInfo clr) continue;
            var value = clr.GetValue(instance);
            var zero = clr.PropertyType.IsValueType ? Activator.CreateInstance(clr.PropertyType) : null;
            if (!Equals(value, zero))
                problems.Add($"{type.Name}.{clr.Name} is init with the initial value {value}: a JSON without \"{property.Name}\" would read it as {zero ?? "null"}");
        }
        return problems;
    }

    /// <summary>A new instance, initializers run: the parameterless constructor, else the longest one given default arguments.</summary>
    private static object New(Type type)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;
        var constructor = type.GetConstructor(All, Type.EmptyTypes)
            ?? type.GetConstructors(All).Where(c => !c.GetParameters().Any(p => p.ParameterType == type)).MaxBy(c => c.GetParameters().Length)
            ?? throw new MissingMethodException(type.Name, ".ctor");
        var arguments = constructor.GetParameters()
            .Select(p => p.HasDefaultValue ? p.DefaultValue : p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null)
            .ToArray();
        return constructor.Invoke(arguments);
    }

    // An init property is a constructor parameter of the generated contract (an object initializer's member) but not of
    // reflection's, which sets it after construction: the same JSON either way (InitializedInitProperties checks the rest).
    private static string? Parameter(JsonParameterInfo? p) =>
        p is null || p.IsMemberInitializer ? null : $"{p.Position} {p.Name} {p.ParameterType.Name} default={(p.HasDefaultValue ? p.DefaultValue ?? "null" : "none")} " +
            $"nullable={p.IsNullable} initializer={p.IsMemberInitializer}";
}
