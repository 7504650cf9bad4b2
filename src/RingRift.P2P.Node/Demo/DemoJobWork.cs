using System.Text.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Jobs;

using RingRift.P2P.Node.Cli;

namespace RingRift.P2P.Node.Demo;

/// <summary>
/// The three demo jobs behind <c>ringrift-p2p demo-job</c>. They only PLAY THE ROLES of self-play,
/// training and evaluation so the cluster loop can be watched end to end: the "games" are random
/// synthetic records, the "model" is a small JSON file, and the "Elo" is a formula of the number of
/// games the model saw. Every record and model says <c>"demo": true</c>.
/// </summary>
/// <remarks>
/// Output follows the job runner's protocol: JSON lines on stdout, <c>{"progress": x}</c> with x in
/// [0, 1] and finally <c>{"result": {…}}</c>. Paths in results are data-dir relative ('/'
/// separators) when under the data dir, else absolute.
/// </remarks>
public static class DemoJobWork
{
    /// <summary>Marks every demo record and model.</summary>
    public const string DemoKey = "demo";

    /// <summary>Elo of a model trained on no games.</summary>
    public const double BaseElo = 1200;

    /// <summary>Elo gained per doubling of (1 + games / <see cref="GamesScale"/>).</summary>
    public const double EloPerDoubling = 150;

    /// <summary>Games that make up one "unit" of the demo Elo curve.</summary>
    public const double GamesScale = 500;

    private const int ProgressSteps = 10;

    /// <summary>The demo Elo curve: 1200 + 150 · log2(1 + games / 500), rounded to 0.1 — more games, higher Elo.</summary>
    public static double Elo(long gamesUsed) =>
        Math.Round(BaseElo + EloPerDoubling * Math.Log2(1 + Math.Max(0, gamesUsed) / GamesScale), 1);

    /// <summary>
    /// Writes <paramref name="games"/> synthetic game records (JSON lines) to <paramref name="outFile"/>
    /// (through <c>.partial</c>, then renamed) and reports games_completed and games_file. Records are
    /// random but reproducible: the generator is seeded from <paramref name="seed"/>.
    /// </summary>
    public static async Task<JsonObject> SelfplayAsync(BoardConfig board, int games, string outFile, string? dataDir, int seed, TimeSpan delayPerGame, TextWriter stdout, CancellationToken ct)
    {
        if (games < 0)
            throw new CliException($"--games must be 0 or more, got {games}");
        var full = Path.GetFullPath(outFile);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var partial = full + ".partial";
        var random = new Random(seed);
        var reported = 0;
        await using (var writer = new StreamWriter(partial, append: false))
        {
            for (var i = 0; i < games; i++)
            {
                ct.ThrowIfCancellationRequested();
                var moves = random.Next(20, 120);
                var record = new JsonObject
                {
                    [DemoKey] = true,
                    ["kind"] = "demo-selfplay-game",
                    ["note"] = "synthetic demo record, not a real game",
                    ["config"] = board.Key,
                    [WorkKeys.BoardType] = board.BoardType,
                    [WorkKeys.NumPlayers] = board.NumPlayers,
                    ["game_index"] = i,
                    ["moves"] = moves,
                    ["winner"] = random.Next(board.NumPlayers),
                };
                await writer.WriteLineAsync(record.ToJsonString());
                if (delayPerGame > TimeSpan.Zero)
                    await Task.Delay(delayPerGame, ct);
                var step = (i + 1) * ProgressSteps / games;
                if (step > reported && i + 1 < games)
                {
                    reported = step;
                    await Progress(stdout, (double)(i + 1) / games);
                }
            }
        }
        File.Move(partial, full, overwrite: true);
        await Progress(stdout, 1);
        var result = new JsonObject { [WorkKeys.GamesCompleted] = games, [WorkKeys.GamesFile] = DataRelative(full, dataDir) };
        await Result(stdout, result);
        return result;
    }

    /// <summary>
    /// Counts the demo game records of <paramref name="board"/> in every <c>*.jsonl</c> file directly
    /// in <paramref name="gamesDir"/> and writes a demo model file recording that count (its "strength").
    /// </summary>
    public static async Task<JsonObject> TrainAsync(BoardConfig board, string gamesDir, string outModel, string? fromModel, string? dataDir, TextWriter stdout, CancellationToken ct)
    {
        var dir = Resolve(gamesDir, dataDir);
        if (!Directory.Exists(dir))
            throw new CliException($"--games-dir '{gamesDir}' is not a directory");
        var files = Directory.GetFiles(dir, "*.jsonl").Order(StringComparer.Ordinal).ToArray();
        long gamesUsed = 0;
        for (var f = 0; f < files.Length; f++)
        {
            foreach (var line in await File.ReadAllLinesAsync(files[f], ct))
            {
                if (IsDemoGame(line, board))
                    gamesUsed++;
            }
            await Progress(stdout, 0.9 * (f + 1) / files.Length);
        }

        string? from = string.IsNullOrWhiteSpace(fromModel) ? null : fromModel;
        var model = new JsonObject
        {
            [DemoKey] = true,
            ["kind"] = "demo-model",
            ["note"] = "synthetic demo model, not a trained network; its strength is the number of demo games it read",
            ["config"] = board.Key,
            [WorkKeys.BoardType] = board.BoardType,
            [WorkKeys.NumPlayers] = board.NumPlayers,
            [WorkKeys.GamesUsed] = gamesUsed,
            ["strength"] = gamesUsed,
            ["games_files"] = files.Length,
            ["from"] = from,
        };
        var full = Path.GetFullPath(Resolve(outModel, dataDir));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full + ".partial", model.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), ct);
        File.Move(full + ".partial", full, overwrite: true);
        await Progress(stdout, 1);
        var result = new JsonObject { [WorkKeys.ModelPath] = DataRelative(full, dataDir), [WorkKeys.GamesUsed] = gamesUsed };
        await Result(stdout, result);
        return result;
    }

    /// <summary>Reads a demo model and reports its demo Elo (see <see cref="Elo"/>), and the baseline's when one is given.</summary>
    public static async Task<JsonObject> EvaluateAsync(string modelPath, string? baselinePath, string? dataDir, TextWriter stdout, CancellationToken ct)
    {
        var games = await ReadModelGamesAsync(modelPath, dataDir, "--model", ct);
        await Progress(stdout, 0.5);
        var result = new JsonObject { [WorkKeys.Elo] = Elo(games), [WorkKeys.GamesUsed] = games, [DemoKey] = true };
        if (!string.IsNullOrWhiteSpace(baselinePath))
            result["baseline_elo"] = Elo(await ReadModelGamesAsync(baselinePath, dataDir, "--baseline", ct));
        await Progress(stdout, 1);
        await Result(stdout, result);
        return result;
    }

    /// <summary>
    /// <paramref name="path"/> as given when rooted or present relative to the current folder; else
    /// under <paramref name="dataDir"/> (job results name files data-dir relative).
    /// </summary>
    public static string Resolve(string path, string? dataDir)
    {
        if (Path.IsPathRooted(path) || dataDir is null || File.Exists(path) || Directory.Exists(path))
            return path;
        return Path.Combine(dataDir, path);
    }

    /// <summary>Data-dir relative with '/' separators when <paramref name="fullPath"/> lies under <paramref name="dataDir"/>, else absolute.</summary>
    public static string DataRelative(string fullPath, string? dataDir)
    {
        if (string.IsNullOrWhiteSpace(dataDir))
            return fullPath;
        var relative = Path.GetRelativePath(Path.GetFullPath(dataDir), fullPath);
        if (relative == "." || relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            return fullPath;
        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    private static async Task<long> ReadModelGamesAsync(string path, string? dataDir, string option, CancellationToken ct)
    {
        var file = Resolve(path, dataDir);
        if (!File.Exists(file))
            throw new CliException($"{option} '{path}' does not exist");
        JsonNode? node;
        try { node = JsonNode.Parse(await File.ReadAllTextAsync(file, ct)); }
        catch (JsonException ex) { throw new CliException($"{option} '{path}' is not a demo model (JSON): {ex.Message}"); }
        if (node is not JsonObject model || model[DemoKey]?.GetValueKind() != JsonValueKind.True)
            throw new CliException($"{option} '{path}' is not a demo model (no \"demo\": true)");
        return model[WorkKeys.GamesUsed] is JsonValue v && v.TryGetValue(out long games) ? games : 0;
    }

    private static bool IsDemoGame(string line, BoardConfig board)
    {
        if (string.IsNullOrWhiteSpace(line))
            return false;
        try
        {
            return JsonNode.Parse(line) is JsonObject o && o[DemoKey]?.GetValueKind() == JsonValueKind.True
                && o["config"]?.GetValueKind() == JsonValueKind.String && o["config"]!.GetValue<string>() == board.Key;
        }
        catch (JsonException)
        {
            return false; // a torn or foreign line: not a demo game
        }
    }

    private static Task Progress(TextWriter stdout, double fraction) =>
        WriteLineAsync(stdout, new JsonObject { [WorkKeys.Progress] = Math.Round(fraction, 3) });

    private static Task Result(TextWriter stdout, JsonObject result) =>
        WriteLineAsync(stdout, new JsonObject { [WorkKeys.Result] = result.DeepClone() });

    private static async Task WriteLineAsync(TextWriter stdout, JsonObject line)
    {
        await stdout.WriteLineAsync(line.ToJsonString());
        await stdout.FlushAsync();
    }
}
