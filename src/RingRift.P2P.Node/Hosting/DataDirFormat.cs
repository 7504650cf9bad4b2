using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RingRift.P2P.Node.Hosting;

/// <summary>
/// The layout of a node's data directory, numbered in <c>format.json</c> (<c>{"format": N, "written_by": "version"}</c>).
/// On start a node moves an older layout forward one step at a time (<see cref="Migrations"/>) and records the
/// current number; it refuses a directory a newer build has written, which it might misread. The files inside
/// keep versions of their own (the SQLite schema's <c>user_version</c>, Raft snapshots' <c>format_version</c>).
/// </summary>
public static class DataDirFormat
{
    public const string FileName = "format.json";

    /// <summary>
    /// Migration <c>i</c> takes a directory from format <c>i</c> to <c>i + 1</c>; only append. Format 0 is a
    /// directory written before the format was recorded, laid out as format 1: nothing moves.
    /// </summary>
    private static readonly Action<string>[] Migrations = [_ => { }];

    /// <summary>The file is for people too: a version's <c>+commit</c> stays a plus sign, not <c>\u002B</c>.</summary>
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The format this build writes and reads.</summary>
    public static int Current => Migrations.Length;

    /// <summary>
    /// Brings <paramref name="dataDir"/> (created if missing) to <see cref="Current"/> and records it with
    /// <paramref name="version"/>; returns the format it found (<see cref="Current"/> for a new directory).
    /// </summary>
    /// <exception cref="DataDirFormatException">A newer build wrote the directory, or its format file is unreadable.</exception>
    public static int Prepare(string dataDir, string version)
    {
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, FileName);
        var (found, writtenBy) = File.Exists(path) ? Read(path)
            : Directory.EnumerateFileSystemEntries(dataDir).Any() ? (0, null) : (Current, null);
        if (found > Current)
        {
            throw new DataDirFormatException(
                $"data dir {dataDir} was written by ringrift-p2p {writtenBy ?? "(unknown version)"} (data format {found}); this build ({version}) " +
                $"reads formats up to {Current}: run that version or a newer one on it, or start this node on an empty --data-dir " +
                "(its queue replica and Raft log then come back from the other nodes)");
        }

        for (var next = found; next < Current; next++) Migrations[next](dataDir);
        if (found != Current || writtenBy != version) Write(path, version);
        return found;
    }

    private static (int Format, string? WrittenBy) Read(string path)
    {
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
            if (json?["format"] is JsonValue value && value.TryGetValue<int>(out var format) && format >= 0)
                return (format, json["written_by"] is JsonValue by && by.TryGetValue<string>(out var s) ? s : null);
        }
        catch (JsonException) { }
        throw new DataDirFormatException(
            $"{path} is not a data format record ({{\"format\": N, \"written_by\": \"version\"}}); if the rest of the directory " +
            "is a node's data, delete the file and start the node again (it is then read as written before formats were recorded)");
    }

    private static void Write(string path, string version)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, new JsonObject { ["format"] = Current, ["written_by"] = version }.ToJsonString(Readable) + "\n");
        File.Move(temp, path, overwrite: true);
    }
}

/// <summary>A data directory this build must not use as it is (exit code 2 from <c>run</c>).</summary>
public sealed class DataDirFormatException(string message) : Exception(message);
