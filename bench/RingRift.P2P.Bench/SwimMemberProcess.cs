using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RingRift.P2P.Swim;

namespace RingRift.P2P.Bench;

/// <summary>
/// One <c>swim-member</c> child process of this bench program (its apphost, or <c>dotnet</c> plus this
/// assembly). Every live child is kept in a process-wide registry so <see cref="KillAll"/> (wired to
/// Ctrl+C and process exit by <see cref="KillAllOnExit"/>) can end them; the child also exits by itself
/// when its standard input (a pipe held by this process) closes.
/// </summary>
public sealed class SwimMemberProcess : IDisposable
{
    private static readonly HashSet<SwimMemberProcess> Live = [];
    private readonly Process _process;

    private SwimMemberProcess(Process process, string nodeId)
    {
        _process = process;
        NodeId = nodeId;
    }

    public string NodeId { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>swim-member --id … --token … --seeds … --preset …</c>.</summary>
    public static SwimMemberProcess Start(string nodeId, string token, string preset, IEnumerable<SwimEndpoint> seeds, ulong incarnation = 0)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false, // a crash report goes straight to the bench's stderr
            UseShellExecute = false,
        };
        (string file, string[] prefix) = ProgramCommand();
        info.FileName = file;
        foreach (string a in prefix)
        {
            info.ArgumentList.Add(a);
        }

        foreach (string a in new[]
        {
            "swim-member", "--id", nodeId, "--token", token, "--preset", preset,
            "--seeds", SwimMemberCommand.FormatEndpoints(seeds), "--incarnation", incarnation.ToString(CultureInfo.InvariantCulture),
        })
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        var process = new Process { StartInfo = info };
        var child = new SwimMemberProcess(process, nodeId);
        lock (Live)
        {
            process.Start();
            Live.Add(child);
        }

        return child;
    }

    /// <summary>Reads the child's stdout until its ready line and returns the port it bound.</summary>
    /// <exception cref="TimeoutException">No ready line within <paramref name="within"/>.</exception>
    /// <exception cref="InvalidOperationException">The child exited first.</exception>
    public async Task<int> WaitReadyAsync(TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        try
        {
            while (await _process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            {
                if (!line.StartsWith('{'))
                {
                    continue;
                }

                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.TryGetProperty("member", out JsonElement m) && m.GetString() == SwimMemberCommand.ReadyMarker)
                {
                    return doc.RootElement.GetProperty("port").GetInt32();
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"swim-member {NodeId} (pid {ProcessId}) printed no ready line within {within}.");
        }

        throw new InvalidOperationException($"swim-member {NodeId} (pid {ProcessId}) exited before it was ready.");
    }

    /// <summary>SIGKILL (no clean-up, like a crash), then waits up to 10 s for the exit.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }

        _process.WaitForExit(10_000);
    }

    /// <summary>Kills the child if it still runs and forgets it.</summary>
    public void Dispose()
    {
        Kill();
        lock (Live)
        {
            Live.Remove(this);
        }

        _process.Dispose();
    }

    /// <summary>Kills every child still registered (Ctrl+C, process exit, failures).</summary>
    public static void KillAll()
    {
        SwimMemberProcess[] all;
        lock (Live)
        {
            all = [.. Live];
        }

        foreach (SwimMemberProcess child in all)
        {
            child.Dispose();
        }
    }

    /// <summary>Registers <see cref="KillAll"/> for Ctrl+C and process exit; dispose the result to unregister.</summary>
    public static IDisposable KillAllOnExit()
    {
        ConsoleCancelEventHandler onCancel = (_, _) => KillAll();
        EventHandler onExit = (_, _) => KillAll();
        Console.CancelKeyPress += onCancel;
        AppDomain.CurrentDomain.ProcessExit += onExit;
        return new Unregister(() =>
        {
            Console.CancelKeyPress -= onCancel;
            AppDomain.CurrentDomain.ProcessExit -= onExit;
        });
    }

    /// <summary>How to run this program again: its apphost next to the assembly, else <c>dotnet</c> plus the assembly.</summary>
    private static (string File, string[] Prefix) ProgramCommand()
    {
        string entry = typeof(SwimMemberProcess).Assembly.Location;
        string apphost = Path.Combine(Path.GetDirectoryName(entry)!, Path.GetFileNameWithoutExtension(entry));
        return File.Exists(apphost) && !OperatingSystem.IsWindows() ? (apphost, []) : ("dotnet", [entry]);
    }

    private sealed class Unregister(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
