using System.Security.Cryptography;
using System.Text.Json.Nodes;
using RingRift.P2P.Jobs;

namespace RingRift.P2P.Node.Jobs;

/// <summary>
/// Stamps a completed job's result with the SHA-256 of the file it produced, so data sync can verify
/// copies: the first of <c>games_file</c>, <c>model_path</c> that names an existing file under the data
/// dir is hashed into <c>sha256</c> (lower-case hex). A result that already carries <c>sha256</c>, or
/// names no such file, is left as it is.
/// </summary>
internal static class JobResultFiles
{
    private static readonly string[] FileKeys = [WorkKeys.GamesFile, WorkKeys.ModelPath];

    public static async Task AddSha256Async(JsonObject result, string dataDir, CancellationToken ct)
    {
        if (result.ContainsKey(WorkKeys.Sha256)) return;
        foreach (var key in FileKeys)
        {
            if (result[key] is not JsonValue value || !value.TryGetValue(out string? relative)) continue;
            if (!JobCommandBuilder.TryUnderDataDir(relative, key, dataDir, out var path, out _) || !File.Exists(path)) continue;
            try
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
                result[WorkKeys.Sha256] = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // unreadable now: sync will hash it from the manifest instead
            }
            return;
        }
    }
}
