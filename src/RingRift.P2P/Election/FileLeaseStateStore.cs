using System.Text.Json;
using System.Text.Json.Serialization;

namespace RingRift.P2P.Election;

/// <summary>
/// Keeps a voter's promises in one JSON file. <see cref="Save"/> writes <c>path.tmp</c>, flushes it to
/// disk and renames it over <c>path</c>, so a crash leaves either the old or the new state, never half.
/// Expiry is stored as Unix milliseconds, rounded up so a reload never shortens a grant.
/// </summary>
public sealed partial class FileLeaseStateStore : ILeaseStateStore
{
    public FileLeaseStateStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    public VoterState? Load()
    {
        if (!File.Exists(Path))
            return null;

        StoredState? stored;
        try
        {
            stored = JsonSerializer.Deserialize(File.ReadAllText(Path), StoredStateJson.Default.StoredState);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Lease state file '{Path}' is corrupt: {ex.Message}", ex);
        }

        if (stored is null)
            throw new InvalidDataException($"Lease state file '{Path}' is corrupt: it holds JSON null, expected an object.");
        if (stored.HolderEpoch < 0 || stored.HighestEpoch < 0 || stored.HolderEpoch > stored.HighestEpoch)
        {
            throw new InvalidDataException(
                $"Lease state file '{Path}' is corrupt: holder_epoch={stored.HolderEpoch}, highest_epoch={stored.HighestEpoch}; " +
                "both must be >= 0 and holder_epoch <= highest_epoch.");
        }

        return new VoterState(
            stored.Holder,
            stored.HolderEpoch,
            stored.ExpiresAtUnixMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
            stored.HighestEpoch,
            stored.HighestEpochHolder);
    }

    public void Save(VoterState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var stored = new StoredState(
            state.Holder,
            state.HolderEpoch,
            state.ExpiresAt is { } at ? CeilingUnixMs(at) : null,
            state.HighestEpoch,
            state.HighestEpochHolder);

        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);

        var temp = Path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, stored, StoredStateJson.Default.StoredState);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, Path, overwrite: true);
    }

    private static long CeilingUnixMs(DateTimeOffset at)
    {
        var ticks = at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return ticks / TimeSpan.TicksPerMillisecond + (ticks % TimeSpan.TicksPerMillisecond > 0 ? 1 : 0);
    }

    /// <summary>
    /// The file's contract and options, generated at compile time: web defaults (names read case-insensitively, numbers
    /// also from strings), snake_case, indented.
    /// </summary>
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
    [JsonSerializable(typeof(StoredState))]
    private sealed partial class StoredStateJson : JsonSerializerContext;

    private sealed record StoredState(
        [property: JsonRequired] string? Holder,
        [property: JsonRequired] long HolderEpoch,
        [property: JsonRequired] long? ExpiresAtUnixMs,
        [property: JsonRequired] long HighestEpoch,
        [property: JsonRequired] string? HighestEpochHolder);
}
