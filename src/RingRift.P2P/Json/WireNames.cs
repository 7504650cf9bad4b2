using System.Reflection;
using System.Text.Json.Serialization;

namespace RingRift.P2P.Json;

/// <summary>Maps an enum's lower-case JSON names (case-insensitive) to its members, in declaration order.</summary>
public static class WireNames
{
    public static IReadOnlyDictionary<string, T> Of<T>() where T : struct, Enum => Cache<T>.Names;

    private static class Cache<T> where T : struct, Enum
    {
        public static readonly IReadOnlyDictionary<string, T> Names = Build();

        private static IReadOnlyDictionary<string, T> Build()
        {
            var names = new OrderedDictionary<string, T>(StringComparer.OrdinalIgnoreCase);
            foreach (var field in typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static).OrderBy(f => f.MetadataToken))
            {
                var name = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? field.Name.ToLowerInvariant();
                names.Add(name, (T)field.GetValue(null)!);
            }
            return new System.Collections.ObjectModel.ReadOnlyDictionary<string, T>(names);
        }
    }
}
