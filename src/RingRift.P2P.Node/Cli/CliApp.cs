using System.CommandLine;
using System.CommandLine.Invocation;
using RingRift.P2P.Config;
using RingRift.P2P.Hosts;
using RingRift.P2P.Node.Demo;

namespace RingRift.P2P.Node.Cli;

/// <summary>
/// Cli/ holds the command line: run, status, peers, jobs, training, events, work, import-queue, config.
/// The <c>ringrift-p2p</c> command tree and its exit codes: 0 success, 1 a failed call (one line on
/// stderr), 2 bad arguments or configuration (one line naming what is wrong).
/// </summary>
public static partial class CliApp
{
    /// <summary>Exit code of a call that failed (node unreachable, an error answer).</summary>
    public const int FailedCall = 1;

    /// <summary>Exit code of bad arguments or configuration.</summary>
    public const int BadArguments = 2;

    /// <summary>
    /// Parses and runs <paramref name="args"/>. <paramref name="configuration"/> redirects output and
    /// errors (tests); <paramref name="ct"/> stands for Ctrl-C.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, InvocationConfiguration? configuration = null, CancellationToken ct = default)
    {
        configuration ??= new InvocationConfiguration();
        // Piped output (scripts, CI logs) gets wide tables instead of Spectre's 80-column fallback.
        if (ReferenceEquals(configuration.Output, Console.Out) && Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 160;
        var root = new RootCommand("RingRift P2P: cluster membership, leader election and work queue for GPU self-play clusters.")
        {
            RunCommand.Create(),
            StatusCommand.Create(),
            PeersCommand.Create(),
            JobsCommand.Create(),
            TrainingCommand.Create(),
            EventsCommand.Create(),
            WorkCommand.Create(),
            ImportQueueCommand.Create(),
            ConfigCommand.Create(),
            LocalClusterCommand.Create(),
            DemoJobCommand.Create(),
        };
        // --version: this build's version and commit (1.0.0+<commit>), the string /status and /health carry;
        // System.CommandLine's own reads the entry assembly, which is not this program under a test host.
        foreach (var option in root.Options.OfType<VersionOption>()) option.Action = new PrintVersion();
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction && parse.Errors.Count > 0)
        {
            var messages = parse.Errors.Select(e => OneLine().Replace(e.Message, " ").Trim());
            await configuration.Error.WriteLineAsync($"ringrift-p2p: {string.Join("; ", messages)} (see --help)");
            return BadArguments;
        }
        return await parse.InvokeAsync(configuration, ct);
    }

    /// <summary>Runs a command body, turning known failures into one line on the command's stderr and an exit code.</summary>
    public static async Task<int> Guard(ParseResult parse, Func<Task<int>> body)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return await body();
        }
        catch (Exception ex) when (ex is P2PConfigException or RingRift.P2P.Yaml.YamlFileException or Import.OriginalQueueException or CliUsageException
            or Hosting.DataDirFormatException)
        {
            await error.WriteLineAsync($"ringrift-p2p: {ex.Message}");
            return BadArguments;
        }
        catch (CliException ex)
        {
            await error.WriteLineAsync($"ringrift-p2p: {ex.Message}");
            return FailedCall;
        }
    }

    /// <summary>The node URL for client commands: --url, else RINGRIFT_P2P_URL, else http://127.0.0.1:8770.</summary>
    public static Option<string> UrlOption() => new("--url")
    {
        Description = "Node to ask (default: $RINGRIFT_P2P_URL, else http://127.0.0.1:8770)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RINGRIFT_P2P_URL") is { Length: > 0 } u ? u : "http://127.0.0.1:8770",
    };

    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Hosting.ProgramVersion.Text);
            return 0;
        }
    }

    /// <summary>Line breaks and the blanks around them, so an error prints on one line.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\s*\n\s*")]
    private static partial System.Text.RegularExpressions.Regex OneLine();

    /// <summary>The cluster token for client calls, read like the node reads it.</summary>
    public static string? Token() => P2PConfig.FromEnvironment().AuthToken;
}
