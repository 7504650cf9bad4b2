using System.Diagnostics;
using RingRift.P2P.Node.Jobs;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;

namespace RingRift.P2P.Artifacts.Tests;

/// <summary>
/// The x64 single-file executable on its own, as an operator gets it: copied into an empty folder, no SDK
/// on the PATH it needs, no source tree around it.
/// </summary>
[Collection(ReleaseCollection.Name)]
public sealed class X64ExecutableTests(ReleaseBuild release, ITestOutputHelper output)
{
    /// <summary>Heartbeat 0.5 s, peer timeout 3 s, lease 6 s: a cluster that settles fast and does not flap on a loaded machine.</summary>
    public static readonly IReadOnlyDictionary<string, string> SteadyTimings = new Dictionary<string, string>
    {
        ["RINGRIFT_P2P_HEARTBEAT_INTERVAL"] = "0.5",
        ["RINGRIFT_P2P_PEER_TIMEOUT"] = "3",
        ["RINGRIFT_P2P_LEADER_LEASE"] = "6",
        ["RINGRIFT_P2P_GPU_COUNT"] = "0",
    };

    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(60);

    /// <summary>Bound for the demo's whole loop (self-play, training, evaluation, promotion) on a loaded 2-core machine.</summary>
    private static readonly TimeSpan DemoWait = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Executable_PrintsItsVersionAndCommit_AndServesThemOnStatusAndHealth()
    {
        var folder = release.Scratch("x64-version");
        var (code, printed) = await Launched.RunAsync(release.X64, ["--version"], folder, StartWait);
        Assert.Equal(0, code);
        Assert.Equal(ReleaseBuild.ExpectedVersion, printed.Trim());

        // A service account's home may not exist: the bundled SQLite library goes where DOTNET_BUNDLE_EXTRACT_BASE_DIR says.
        var extractTo = Path.Combine(folder, "bundle");
        var service = new Dictionary<string, string>(SteadyTimings) { ["HOME"] = "/nonexistent", ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = extractTo };
        var port = TestPorts.Free();
        using var node = NodeProcess.Start("solo", release.X64, port, folder, [], service);
        var startup = await node.WaitServingAsync(StartWait);
        output.WriteLine($"served /status {startup.TotalMilliseconds:0} ms after the start");

        var status = (await node.GetAsync("status")).Json!;
        var health = (await node.GetAsync("health")).Json!;
        Assert.Equal(ReleaseBuild.ExpectedVersion, status["version"]!.GetValue<string>());
        Assert.Equal(ReleaseBuild.ExpectedVersion, health["version"]!.GetValue<string>());
        Assert.Single(Directory.GetFiles(extractTo, "libe_sqlite3.so", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Executable_WithNowhereToWriteSqlite_StopsSayingWhichVariableToSet_AndVersionNeedsNoFolder()
    {
        // A service account whose home cannot be written and no DOTNET_BUNDLE_EXTRACT_BASE_DIR: --version writes nothing
        // and works; a node stops at its start, naming the folder it tried and the variable that gives it one. The home
        // is below a plain file, so that not even root (CI) can create it.
        var folder = release.Scratch("x64-no-home");
        var file = Path.Combine(folder, "a-file");
        File.WriteAllText(file, "not a folder");
        var home = Path.Combine(file, "home");
        var homeless = new Dictionary<string, string>(SteadyTimings) { ["HOME"] = home, ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = "" };
        var (versionCode, _) = await Launched.RunAsync(release.X64, ["--version"], folder, StartWait, homeless);
        var port = TestPorts.Free();
        var (code, printed) = await Launched.RunAsync(release.X64,
            ["run", "--node-id", "homeless", "--host", "127.0.0.1", "--port", port.ToString(), "--data-dir", Path.Combine(folder, "data")],
            folder, StartWait, homeless);

        Assert.Equal(0, versionCode);
        Assert.NotEqual(0, code);
        Assert.Contains($"could not be written to '{home}/.net/ringrift-p2p/", printed);
        Assert.Contains("set DOTNET_BUNDLE_EXTRACT_BASE_DIR to a folder this user may write", printed);
        Assert.StartsWith("ringrift-p2p: SQLite's native library could not be written", printed.Trim()); // one line, no stack trace
        Assert.DoesNotContain("   at ", printed);
    }

    [Fact]
    public async Task LocalClusterDemo_FromAFolderWithoutTheSourceTree_PromotesAModel_AndCtrlCStopsIt()
    {
        // Only the executable, in a folder of its own under the temp folder: no examples/jobs.yaml above it,
        // and no .NET: an empty PATH (so no dotnet), DOTNET_ROOT pointing nowhere.
        var folder = release.Scratch("x64-demo");
        var noDotnet = new Dictionary<string, string>(SteadyTimings) { ["PATH"] = release.Scratch("empty-path"), ["DOTNET_ROOT"] = "/nonexistent" };
        var executable = Path.Combine(folder, "ringrift-p2p-linux-x64");
        File.Copy(release.X64, executable);
        File.SetUnixFileMode(executable, File.GetUnixFileMode(release.X64));
        var basePort = TestPorts.FreeRange(3);
        var cluster = Path.Combine(folder, ".local-cluster");

        using var run = Launched.Start("local-cluster", executable, ["local-cluster", "--nodes", "3", "--demo", "--base-port", basePort.ToString()],
            folder, noDotnet);
        try
        {
            var clock = Stopwatch.StartNew();
            await Eventually.Until(() => run.HasExited ? throw new InvalidOperationException($"exited with {run.ExitCode}\n{run.Tail()}") : run.Output,
                text => DemoLines.Promoted().IsMatch(text), "local-cluster printing a promoted hex8_2p model", DemoWait);
            output.WriteLine($"first promotion {clock.Elapsed.TotalSeconds:0} s after the start");

            Assert.Equal(File.ReadAllBytes(Path.Combine(ReleaseBuild.RepoRoot(), "examples", "jobs.yaml")),
                File.ReadAllBytes(Path.Combine(cluster, "demo-jobs.yaml")));
            Assert.Contains($"Jobs from {Path.Combine(cluster, "demo-jobs.yaml")}", run.Output);

            Assert.True(await run.SignalAsync(Launched.SigInt, TimeSpan.FromSeconds(60)), $"local-cluster still runs a minute after Ctrl-C\n{run.Tail()}");
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("Stopping nodes…", run.Output);
            foreach (var port in Enumerable.Range(basePort, 3))
                Assert.True(TestPorts.CanBind(port), $"a node still listens on {port} after Ctrl-C\n{run.Tail()}");
        }
        catch (Exception e) when (e is WaitTimedOutException or Xunit.Sdk.XunitException)
        {
            output.WriteLine(run.Tail(200));
            throw;
        }
        finally
        {
            run.Dispose(); // kills local-cluster and its nodes if they still run
            foreach (var node in Directory.Exists(cluster) ? Directory.GetDirectories(cluster) : [])
                JobFiles.KillRecordedJobs(node); // jobs outlive their node on purpose
        }
    }
}

/// <summary>The lines local-cluster prints as the demo goes.</summary>
public static partial class DemoLines
{
    [System.Text.RegularExpressions.GeneratedRegex(@"(?m)^\d\d:\d\d:\d\d  promoted\s+hex8_2p: ")]
    public static partial System.Text.RegularExpressions.Regex Promoted();

    [System.Text.RegularExpressions.GeneratedRegex(@"(?m)^\d\d:\d\d:\d\d  leader\s+node-\d+ elected$")]
    public static partial System.Text.RegularExpressions.Regex LeaderElected();
}
