using System.CommandLine;
using System.Text.Json.Nodes;
using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Demo;

namespace RingRift.P2P.Node.Tests.Demo;

/// <summary><c>ringrift-p2p demo-job</c>: files written, JSON lines the job runner can parse, a demo Elo that grows with games.</summary>
public sealed class DemoJobTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "rr-demo-" + Guid.NewGuid().ToString("N"));

    public DemoJobTests() => Directory.CreateDirectory(_data);

    public void Dispose()
    {
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Selfplay_WritesDemoRecords_AndReportsADataRelativeFile()
    {
        var (code, lines) = await RunAsync("selfplay", "--board-type", "hex8", "--num-players", "2", "--games", "25",
            "--out", Path.Combine(_data, "games", "hex8_2p", "job-1.jsonl"), "--data-dir", _data);

        Assert.Equal(0, code);
        var result = Result(lines);
        Assert.Equal(25, (int)result["games_completed"]!);
        Assert.Equal("games/hex8_2p/job-1.jsonl", (string?)result["games_file"]);
        var records = File.ReadAllLines(Path.Combine(_data, "games", "hex8_2p", "job-1.jsonl")).Select(l => JsonNode.Parse(l)!).ToArray();
        Assert.Equal(25, records.Length);
        Assert.All(records, r => Assert.True((bool)r["demo"]!));
        Assert.All(records, r => Assert.Equal("hex8_2p", (string?)r["config"]));
        var progress = lines.Where(l => l["progress"] is not null).Select(l => (double)l["progress"]!).ToArray();
        Assert.Equal(progress.Order(), progress);                  // never goes back
        Assert.Equal(1.0, progress[^1]);
        Assert.InRange(progress.Length, 2, 11);
        Assert.False(File.Exists(Path.Combine(_data, "games", "hex8_2p", "job-1.jsonl.partial")));
    }

    [Fact]
    public async Task Selfplay_OutsideTheDataDir_ReportsAnAbsolutePath()
    {
        var outside = Path.Combine(_data, "elsewhere", "g.jsonl");
        var (_, lines) = await RunAsync("selfplay", "--board-type", "hex8", "--num-players", "2", "--games", "3",
            "--out", outside, "--data-dir", Path.Combine(_data, "node-a"));

        Assert.Equal(outside, (string?)Result(lines)["games_file"]);
    }

    [Fact]
    public async Task Selfplay_IsReproducibleForAFileName()
    {
        string[] args = ["selfplay", "--board-type", "hex8", "--num-players", "3", "--games", "10", "--data-dir", _data];
        await RunAsync([.. args, "--out", Path.Combine(_data, "a", "same.jsonl")]);
        await RunAsync([.. args, "--out", Path.Combine(_data, "b", "same.jsonl")]);

        Assert.Equal(File.ReadAllText(Path.Combine(_data, "a", "same.jsonl")), File.ReadAllText(Path.Combine(_data, "b", "same.jsonl")));
    }

    [Fact]
    public async Task Train_CountsTheConfigsDemoGames_AndEvaluate_RatesMoreGamesHigher()
    {
        await Selfplay("hex8", 2, 300, "games/hex8_2p/s1.jsonl");
        await Selfplay("hex8", 2, 200, "games/hex8_2p/s2.jsonl");
        await Selfplay("square8", 2, 999, "games/hex8_2p/foreign.jsonl"); // another config's games in the folder: not counted
        File.WriteAllText(Path.Combine(_data, "games", "hex8_2p", "notes.txt"), "not a games file");

        var (code, lines) = await RunAsync("train", "--board-type", "hex8", "--num-players", "2", "--games-dir", "games/hex8_2p",
            "--out", "models/hex8_2p/m1.json", "--from", "", "--data-dir", _data);

        Assert.Equal(0, code);
        var trained = Result(lines);
        Assert.Equal("models/hex8_2p/m1.json", (string?)trained["model_path"]);
        Assert.Equal(500, (long)trained["games_used"]!);
        var model = JsonNode.Parse(File.ReadAllText(Path.Combine(_data, "models", "hex8_2p", "m1.json")))!;
        Assert.True((bool)model["demo"]!);
        Assert.Equal("hex8_2p", (string?)model["config"]);
        Assert.Null(model["from"]);

        await Selfplay("hex8", 2, 1000, "games/hex8_2p/s3.jsonl");
        await RunAsync("train", "--board-type", "hex8", "--num-players", "2", "--games-dir", "games/hex8_2p",
            "--out", "models/hex8_2p/m2.json", "--from", "models/hex8_2p/m1.json", "--data-dir", _data);

        var (_, first) = await RunAsync("evaluate", "--model", "models/hex8_2p/m1.json", "--data-dir", _data);
        var (_, second) = await RunAsync("evaluate", "--model", "models/hex8_2p/m2.json", "--baseline", "models/hex8_2p/m1.json", "--data-dir", _data);

        Assert.Equal(1350, (double)Result(first)["elo"]!);            // 1200 + 150·log2(1 + 500/500)
        Assert.Equal(1500, (double)Result(second)["elo"]!);            // 1500 games: 1200 + 150·log2(4)
        Assert.Equal(1350, (double)Result(second)["baseline_elo"]!);
    }

    [Theory]
    [InlineData(0, 1200)]
    [InlineData(500, 1350)]
    [InlineData(1500, 1500)]
    [InlineData(3500, 1650)]
    public void Elo_Curve(long games, double elo) => Assert.Equal(elo, DemoJobWork.Elo(games));

    [Fact]
    public async Task Evaluate_RefusesAFileThatIsNotADemoModel()
    {
        File.WriteAllText(Path.Combine(_data, "real.json"), "{\"weights\": [1, 2]}");

        var (code, lines) = await RunAsync("evaluate", "--model", Path.Combine(_data, "real.json"));

        Assert.Equal(1, code);
        Assert.Empty(lines);
    }

    [Fact]
    public async Task Train_MissingGamesDir_Fails()
    {
        var (code, _) = await RunAsync("train", "--board-type", "hex8", "--num-players", "2", "--games-dir", Path.Combine(_data, "none"),
            "--out", Path.Combine(_data, "m.json"));

        Assert.Equal(1, code);
        Assert.False(File.Exists(Path.Combine(_data, "m.json")));
    }

    private async Task Selfplay(string board, int players, int games, string relative) =>
        Assert.Equal(0, (await RunAsync("selfplay", "--board-type", board, "--num-players", players.ToString(), "--games", games.ToString(),
            "--out", Path.Combine(_data, relative), "--data-dir", _data)).Code);

    private static async Task<(int Code, IReadOnlyList<JsonNode> Lines)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var root = new RootCommand { DemoJobCommand.Create() };
        var code = await root.Parse(["demo-job", .. args]).InvokeAsync(new InvocationConfiguration { Output = output });
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => JsonNode.Parse(l)!).ToArray(); // every stdout line must be JSON
        return (code, lines);
    }

    private static JsonObject Result(IReadOnlyList<JsonNode> lines)
    {
        Assert.Single(lines, l => l["result"] is not null);
        Assert.NotNull(lines[^1]["result"]); // the result comes last
        return lines[^1]["result"]!.AsObject();
    }
}
