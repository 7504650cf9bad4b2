using System.CommandLine;
using RingRift.P2P.Jobs;

using RingRift.P2P.Node.Cli;

namespace RingRift.P2P.Node.Demo;

/// <summary>
/// <c>ringrift-p2p demo-job selfplay|train|evaluate</c>: stand-ins for real self-play, training and
/// evaluation programs, so <c>examples/jobs.yaml</c> can drive the whole cluster loop. DEMO ONLY:
/// see <see cref="DemoJobWork"/>.
/// </summary>
public static class DemoJobCommand
{
    /// <summary>Data dir for relative result paths when --data-dir is not given.</summary>
    public static readonly string[] DataDirVariables = ["RINGRIFT_DATA_DIR", "RINGRIFT_P2P_DATA_DIR"];

    public static Command Create() => new("demo-job", "DEMO workload: synthetic self-play, training and evaluation jobs (not a real game or trainer)")
    {
        Selfplay(), Train(), Evaluate(),
    };

    private static Command Selfplay()
    {
        var (boardType, numPlayers) = BoardOptions();
        var games = new Option<int>("--games") { Description = "Games to write", Required = true };
        var output = new Option<string>("--out") { Description = "Games file to write (JSON lines)", Required = true };
        var seed = new Option<int?>("--seed") { Description = "Random seed (default: derived from the --out file name)" };
        var delay = new Option<int>("--delay-ms") { Description = "Pause per game, to watch progress", DefaultValueFactory = _ => 0 };
        var dataDir = DataDirOption();
        var command = new Command("selfplay", "Write synthetic demo game records and report games_completed / games_file")
        {
            boardType, numPlayers, games, output, seed, delay, dataDir,
        };
        command.SetAction((parse, ct) => CliApp.Guard(parse, async () =>
        {
            var board = Board(parse.GetValue(boardType)!, parse.GetValue(numPlayers));
            var outFile = parse.GetValue(output)!;
            if (parse.GetValue(delay) < 0)
                throw new CliException($"--delay-ms must be 0 or more, got {parse.GetValue(delay)}");
            await DemoJobWork.SelfplayAsync(board, parse.GetValue(games), outFile, parse.GetValue(dataDir),
                parse.GetValue(seed) ?? StableSeed(Path.GetFileName(outFile)), TimeSpan.FromMilliseconds(parse.GetValue(delay)), parse.InvocationConfiguration.Output, ct);
            return 0;
        }));
        return command;
    }

    private static Command Train()
    {
        var (boardType, numPlayers) = BoardOptions();
        var gamesDir = new Option<string>("--games-dir") { Description = "Folder of games files (*.jsonl) to read", Required = true };
        var output = new Option<string>("--out") { Description = "Model file to write", Required = true };
        var from = new Option<string?>("--from") { Description = "Model to start from (recorded only; empty: none)" };
        var dataDir = DataDirOption();
        var command = new Command("train", "Read demo games and write a demo model file; reports model_path / games_used")
        {
            boardType, numPlayers, gamesDir, output, from, dataDir,
        };
        command.SetAction((parse, ct) => CliApp.Guard(parse, async () =>
        {
            var board = Board(parse.GetValue(boardType)!, parse.GetValue(numPlayers));
            await DemoJobWork.TrainAsync(board, parse.GetValue(gamesDir)!, parse.GetValue(output)!, parse.GetValue(from), parse.GetValue(dataDir), parse.InvocationConfiguration.Output, ct);
            return 0;
        }));
        return command;
    }

    private static Command Evaluate()
    {
        var model = new Option<string>("--model") { Description = "Demo model to rate", Required = true };
        var baseline = new Option<string?>("--baseline") { Description = "Current champion (optional; empty: none)" };
        var dataDir = DataDirOption();
        var command = new Command("evaluate", "Print a demo Elo: 1200 + 150·log2(1 + games_used/500)") { model, baseline, dataDir };
        command.SetAction((parse, ct) => CliApp.Guard(parse, async () =>
        {
            await DemoJobWork.EvaluateAsync(parse.GetValue(model)!, parse.GetValue(baseline), parse.GetValue(dataDir), parse.InvocationConfiguration.Output, ct);
            return 0;
        }));
        return command;
    }

    private static (Option<string> BoardType, Option<int> NumPlayers) BoardOptions() =>
        (new Option<string>("--board-type") { Description = "Board type, e.g. hex8", Required = true },
         new Option<int>("--num-players") { Description = $"Players, {BoardConfig.MinPlayers}-{BoardConfig.MaxPlayers}", Required = true });

    private static Option<string?> DataDirOption() => new("--data-dir")
    {
        Description = "Node data dir: result paths under it are reported relative to it (default: $RINGRIFT_DATA_DIR, else $RINGRIFT_P2P_DATA_DIR)",
        DefaultValueFactory = _ => DataDirVariables.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)),
    };

    private static BoardConfig Board(string boardType, int numPlayers)
    {
        var config = new BoardConfig(boardType, numPlayers).ToConfig();
        return BoardConfig.TryFrom(config, out var board, out var error) ? board : throw new CliException(error);
    }

    /// <summary>FNV-1a of <paramref name="text"/>: the same seed in every process (string.GetHashCode is randomised).</summary>
    private static int StableSeed(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
            hash = (hash ^ c) * 16777619u;
        return (int)(hash & int.MaxValue);
    }
}
