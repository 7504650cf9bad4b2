using System.Reflection;
using System.Text.Json.Serialization;

namespace RingRift.P2P.Json;

/// <summary>
/// Maps an enum's lower-case JSON names (case-insensitive) to its members, in value order (the declaration order of
/// every enum here). Not by metadata token: a natively compiled program has none.
/// </summary>
public static class WireNames
{
    public static IReadOnlyDictionary<string, T> Of<T>() where T : struct, Enum => Cache<T>.Names;

    private static class Cache<T> where T : struct, Enum
    {
        public static readonly IReadOnlyDictionary<string, T> Names = Build();

        private static IReadOnlyDictionary<string, T> Build()
        {
            var names = new OrderedDictionary<string, T>(StringComparer.OrdinalIgnoreCase);
            foreach (var value in Enum.GetValues<T>())
            {
                var member = Enum.GetName(value)!;
                var field = typeof(T).GetField(member, BindingFlags.Public | BindingFlags.Static);
                names.Add(field?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? member.ToLowerInvariant(), value);
            }
            return new System.Collections.ObjectModel.ReadOnlyDictionary<string, T>(names);
        }
    }
}
