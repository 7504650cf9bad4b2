using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;

namespace RingRift.P2P.Artifacts.Tests;

/// <summary>
/// The dotnet tool from the release's package, installed in a tool path of this run's own
/// (<c>dotnet tool install --tool-path … --add-source artifacts ringrift-p2p</c>): its commands run, and
/// local-cluster starts its nodes through the tool's own launcher.
/// </summary>
[Collection(ReleaseCollection.Name)]
public sealed class DotnetToolTests(ReleaseBuild release, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task InstalledTool_PrintsTheVersion_AndItsStatusCommandReadsANode()
    {
        var tool = await release.InstalledToolAsync();
        var folder = release.Scratch("tool-status");

        var (code, printed) = await Launched.RunAsync(tool, ["--version"], folder, Wait);
        Assert.Equal(0, code);
        Assert.Equal(ReleaseBuild.ExpectedVersion, printed.Trim());

        var port = TestPorts.Free();
        using var node = NodeProcess.Start("tool-target", release.X64, port, folder, [], X64ExecutableTests.SteadyTimings);
        await node.WaitServingAsync(Wait);
        await node.WaitAsync(async () => (await node.GetAsync("status")).Json?["leader_id"]?.GetValue<string>(), id => id == "tool-target",
            "leading itself", Wait);

        (code, printed) = await Launched.RunAsync(tool, ["status", "--url", $"http://127.0.0.1:{port}"], folder, Wait);
        output.WriteLine(printed);
        Assert.Equal(0, code);
        Assert.Contains("tool-target", printed);
        Assert.Contains("leader", printed);
    }

    [Fact]
    public async Task InstalledTool_LocalCluster_StartsItsNodesThroughTheTool()
    {
        var tool = await release.InstalledToolAsync();
        var folder = release.Scratch("tool-cluster");
        var basePort = TestPorts.FreeRange(2);

        using var run = Launched.Start("local-cluster", tool, ["local-cluster", "--nodes", "2", "--base-port", basePort.ToString()], folder,
            X64ExecutableTests.SteadyTimings);
        try
        {
            await Eventually.Until(() => run.HasExited ? throw new InvalidOperationException($"exited with {run.ExitCode}") : run.Output,
                text => DemoLines.LeaderElected().IsMatch(text), "local-cluster (from the tool) printing a leader elected", Wait);
            Assert.True(await run.SignalAsync(Launched.SigInt, TimeSpan.FromSeconds(60)), "local-cluster still runs a minute after Ctrl-C");
            Assert.Equal(0, run.ExitCode);
            foreach (var port in Enumerable.Range(basePort, 2))
                Assert.True(TestPorts.CanBind(port), $"a node still listens on {port} after Ctrl-C");
        }
        catch (Exception e) when (e is WaitTimedOutException or Xunit.Sdk.XunitException or InvalidOperationException)
        {
            output.WriteLine(run.Tail(200));
            throw;
        }
    }
}
