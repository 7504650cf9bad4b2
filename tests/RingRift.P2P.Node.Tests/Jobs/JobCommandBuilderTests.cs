using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Jobs;

namespace RingRift.P2P.Node.Tests.Jobs;

public sealed class JobCommandBuilderTests
{
    private const string DataDir = "/var/lib/ringrift";
    private static readonly JobContext Gpu1 = new("gpu-node-3", DataDir, "w-42", 1, "/opt/ringrift-p2p/ringrift-p2p");

    private static WorkItem Item(JsonObject config, JobType? type = null, double timeout = 600) => new()
    {
        WorkId = "w-42",
        WorkType = type ?? JobType.Evaluation,
        Config = config,
        TimeoutSeconds = timeout,
    };

    private static JsonObject FullConfig() => new()
    {
        ["board_type"] = "hex8",
        ["num_players"] = 2,
        ["games"] = 500,
        ["model_path"] = "models/hex8_2p/cand.pt",
        ["baseline_model_path"] = "models/hex8_2p/champ.pt",
        ["seed"] = 7,
        ["fast"] = true,
        ["tag"] = "a b; rm -rf /",
    };

    private static string Fill(string template, JsonObject config, JobContext? context = null)
    {
        Assert.True(JobCommandBuilder.TryFill(template, Item(config), context ?? Gpu1, out var value, out var error), error);
        return value;
    }

    private static string FillError(string template, JsonObject config)
    {
        Assert.False(JobCommandBuilder.TryFill(template, Item(config), Gpu1, out _, out var error));
        return error;
    }

    [Theory]
    [InlineData("{board_type}", "hex8")]
    [InlineData("{num_players}", "2")]
    [InlineData("{config}", "hex8_2p")]
    [InlineData("{games}", "500")]
    [InlineData("{model_path}", DataDir + "/models/hex8_2p/cand.pt")]
    [InlineData("{baseline_model_path}", DataDir + "/models/hex8_2p/champ.pt")]
    [InlineData("{data_dir}", DataDir)]
    [InlineData("{job_id}", "w-42")]
    [InlineData("{work_type}", "evaluation")]
    [InlineData("{node_id}", "gpu-node-3")]
    [InlineData("{gpu}", "1")]
    [InlineData("{ringrift_p2p}", "/opt/ringrift-p2p/ringrift-p2p")]
    [InlineData("{config.seed}", "7")]
    [InlineData("{config.fast}", "true")]
    [InlineData("{data_dir}/games/{config}/{job_id}.jsonl", DataDir + "/games/hex8_2p/w-42.jsonl")]
    [InlineData("{{literal}} and }}", "{literal} and }")]
    [InlineData("no placeholders", "no placeholders")]
    public void Placeholder_IsReplacedByItsValue(string template, string expected) =>
        Assert.Equal(expected, Fill(template, FullConfig()));

    [Fact]
    public void Gpu_IsEmptyOnACpuSlot() =>
        Assert.Equal("[]", Fill("[{gpu}]", FullConfig(), Gpu1 with { Gpu = null }));

    [Theory]
    [InlineData("{bord_type}", "unknown placeholder {bord_type}")]
    [InlineData("{games}", "placeholder {games} has no value: the work item config has no 'games'")]
    [InlineData("{config.seed}", "placeholder {config.seed} has no value: the work item config has no 'seed'")]
    [InlineData("{config}", "placeholder {config} needs the item's board config: board_type must be")]
    [InlineData("--out {data_dir", "unclosed '{' at position 6")]
    public void MissingOrUnknown_ErrorNamesThePlaceholder(string template, string expected) =>
        Assert.StartsWith(expected, FillError(template, new JsonObject { ["num_players"] = 2 }));

    [Theory]
    [InlineData("../../etc/passwd", "config 'model_path' leads outside the data dir: '../../etc/passwd'")]
    [InlineData("/etc/passwd", "config 'model_path' must be a path relative to the data dir, got '/etc/passwd'")]
    public void ModelPath_OutsideTheDataDir_IsRefused(string path, string expected) =>
        Assert.Equal(expected, FillError("{model_path}", new JsonObject { ["model_path"] = path }));

    [Fact]
    public void NonScalarConfigValue_IsRefused() =>
        Assert.Contains("must be a string, number or boolean", FillError("{config.list}", new JsonObject { ["list"] = new JsonArray(1, 2) }));

    [Fact]
    public void Build_KeepsEachArgumentWhole_AndFillsEnvAndWorkingDir()
    {
        var template = new JobTemplate
        {
            Command = ["python3", "eval.py", "--tag", "{config.tag}", "--model", "{model_path}"],
            Env = new Dictionary<string, string> { ["GAMES_DIR"] = "{data_dir}/games/{config}" },
            WorkingDir = "{data_dir}/work",
            Timeout = TimeSpan.FromSeconds(60),
        };

        Assert.True(JobCommandBuilder.TryBuild(template, Item(FullConfig()), Gpu1, out var command, out var error), error);
        Assert.Equal(["python3", "eval.py", "--tag", "a b; rm -rf /", "--model", DataDir + "/models/hex8_2p/cand.pt"], command.Argv);
        Assert.Equal(DataDir + "/games/hex8_2p", command.Env["GAMES_DIR"]);
        Assert.Equal(DataDir + "/work", command.WorkingDir);
    }

    [Theory]
    [InlineData(600.0, 60.0, 60.0)]   // the file's cap is smaller
    [InlineData(30.0, 60.0, 30.0)]    // the item's own timeout is smaller
    [InlineData(600.0, null, 600.0)]  // no cap: the item's
    public void Timeout_IsTheSmallerOfItemAndTemplate(double itemSeconds, double? capSeconds, double expected)
    {
        var template = new JobTemplate { Command = ["x"], Timeout = capSeconds is { } cap ? TimeSpan.FromSeconds(cap) : null };
        Assert.True(JobCommandBuilder.TryBuild(template, Item(FullConfig(), timeout: itemSeconds), Gpu1, out var command, out _));
        Assert.Equal(TimeSpan.FromSeconds(expected), command.Timeout);
    }

    [Fact]
    public void Build_ErrorNamesTheArgument()
    {
        var template = new JobTemplate { Command = ["x", "{games}"] };
        Assert.False(JobCommandBuilder.TryBuild(template, Item([]), Gpu1, out _, out var error));
        Assert.StartsWith("command[1]: placeholder {games} has no value", error);
    }

    [Theory]
    [InlineData("9f1c2e3a-0b4d", "9f1c2e3a-0b4d")]
    [InlineData("train_hex8_2p.7", "train_hex8_2p.7")]
    public void JobId_IsTheWorkIdWhenFileSafe(string workId, string expected) => Assert.Equal(expected, JobFiles.JobId(workId));

    [Theory]
    [InlineData("../../etc/x")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("with space")]
    public void JobId_OfAnUnsafeWorkId_IsSafeAndDistinct(string workId)
    {
        var id = JobFiles.JobId(workId);
        Assert.Matches("^[A-Za-z0-9_-][A-Za-z0-9._-]*$", id);
        Assert.NotEqual(JobFiles.JobId(workId + "x"), id);
    }
}
