using System.CommandLine;
using RingRift.P2P.Config;
using RingRift.P2P.Hosts;
using RingRift.P2P.Node.Demo;

namespace RingRift.P2P.Node.Cli;

/// <summary>
/// Cli/ holds the command line: run, status, work, import-queue.
/// The <c>ringrift-p2p</c> command tree. Configuration errors end with exit code 2 and one line
/// naming what is wrong; a failed client call ends with exit code 1 and one line.
/// </summary>
public static class CliApp
{
    public static Task<int> RunAsync(string[] args)
    {
        // Piped output (scripts, CI logs) gets wide tables instead of Spectre's 80-column fallback.
        if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 160;
        var root = new RootCommand("RingRift P2P: cluster membership, leader election and work queue for GPU self-play clusters.")
        {
            RunCommand.Create(),
            StatusCommand.Create(),
            WorkCommand.Create(),
            ImportQueueCommand.Create(),
            LocalClusterCommand.Create(),
            DemoJobCommand.Create(),
        };
        return root.Parse(args).InvokeAsync();
    }

    /// <summary>Runs a command body, turning known failures into one line on stderr and an exit code.</summary>
    public static async Task<int> Guard(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception ex) when (ex is P2PConfigException or RingRift.P2P.Yaml.YamlFileException or Import.OriginalQueueException)
        {
            await Console.Error.WriteLineAsync($"ringrift-p2p: {ex.Message}");
            return 2;
        }
        catch (CliException ex)
        {
            await Console.Error.WriteLineAsync($"ringrift-p2p: {ex.Message}");
            return 1;
        }
    }

    /// <summary>The node URL for client commands: --url, else RINGRIFT_P2P_URL, else http://127.0.0.1:8770.</summary>
    public static Option<string> UrlOption() => new("--url")
    {
        Description = "Node to ask (default: $RINGRIFT_P2P_URL, else http://127.0.0.1:8770)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RINGRIFT_P2P_URL") is { Length: > 0 } u ? u : "http://127.0.0.1:8770",
    };

    /// <summary>The cluster token for client calls, read like the node reads it.</summary>
    public static string? Token() => P2PConfig.FromEnvironment().AuthToken;
}
