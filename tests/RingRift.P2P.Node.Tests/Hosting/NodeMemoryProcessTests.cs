using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RingRift.P2P.Node.Demo;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Node.Tests.Metrics;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Processes;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Hosting;

/// <summary>
/// What keeps an idle node's memory down (docs/footprint.md), on a real <c>run</c> process: the GC's gen0 budget
/// from the node's runtime configuration, and the trim of what start-up left behind.
/// </summary>
public sealed partial class NodeMemoryProcessTests : IDisposable
{
    /// <summary>The node's gen0 budget (RingRift.P2P.Node.csproj): 1 MB.</summary>
    private const long Gen0MaxBudget = 1 << 20;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "rr-mem-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void The_node_runtime_configuration_caps_the_gen0_budget()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ringrift-p2p.runtimeconfig.json")))!;
        var properties = config["runtimeOptions"]!["configProperties"]!;
        Assert.Equal(Gen0MaxBudget, properties["System.GC.Gen0MaxBudget"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_run_node_collects_gen0_within_its_budget_and_gives_its_start_up_memory_back_once_settled()
    {
        var port = TestPorts.Free();
        var dataDir = Path.Combine(_root, "node-1");
        using var node = ChildNode.Start("node-1", port, ["--node-id", "node-1", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--data-dir", dataDir], Path.Combine(_root, "node-1.log"), ChildEnvironment.Of(InProcessCluster.FastTimings), TestNodeProgram.Path);

        var line = await Eventually.Until(() => TrimLine().Match(Output(node)), m => m.Success, "the node logging its start-up trim",
            ProcessCluster.ProcessWait + StartupMemoryTrim.Settle);
        var (before, after) = (Megabytes(line.Groups["before"]), Megabytes(line.Groups["after"]));
        // The JIT-compiled node gives back what compiling and loading types left; the native one, which has little of
        // that and only trims the C heap, must not grow (its aggressive collection once added 9 MB).
        if (TestNodeProgram.Path is null) Assert.True(after < before, $"private memory {before} MB before the trim, {after} MB after");
        else Assert.True(after <= before + 0.5, $"private memory {before} MB before the trim, {after} MB after");

        // Start-up allocates some 20 MB; under the default budget (16 MB and more on this machine) an idle node ran
        // minutes without one gen0 collection. Gen2 collections (the trim's among them) are counted apart.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var metrics = PrometheusText.Parse(await http.GetStringAsync($"{node.Url}/metrics"));
        var gen0 = metrics.Single(s => s.Name == "dotnet_gc_collections_total" && s["gc_heap_generation"] == "gen0").Value;
        Assert.True(gen0 >= 2, $"{gen0} gen0 collections after start-up");
        await node.StopAsync(TimeSpan.FromSeconds(10));
    }

    [GeneratedRegex(@"Start-up memory given back: private memory (?<before>[0-9.]+) MB -> (?<after>[0-9.]+) MB")]
    private static partial Regex TrimLine();

    private static double Megabytes(Group group) => double.Parse(group.Value, CultureInfo.InvariantCulture);

    private static string Output(ChildNode node) => File.Exists(node.LogPath) ? File.ReadAllText(node.LogPath) : "";
}
