using System.Text.Json.Nodes;
using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Demo;
using RingRift.P2P.Node.Hosting;

namespace RingRift.P2P.Bench;

/// <summary>Nodes for benchmarks on 127.0.0.1 with free ports and a temporary data folder.</summary>
public sealed class BenchCluster : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ringrift-bench-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<WebApplication> _apps = [];

    public List<int> Ports { get; } = [];

    public static async Task<BenchCluster> StartInProcessAsync(int count, IReadOnlyDictionary<string, string?>? env = null)
    {
        var cluster = new BenchCluster();
        cluster.Ports.AddRange(LoopbackPorts.Free(count));
        var environment = env ?? new Dictionary<string, string?>();
        foreach (var port in cluster.Ports)
        {
            var id = $"node-{port}";
            var peers = string.Join(',', cluster.Ports.Where(p => p != port).Select(p => $"127.0.0.1:{p}"));
            var options = NodeOptionsResolver.Resolve(new RunFlags(NodeId: id, Port: port, Host: "127.0.0.1", Peers: peers.Length > 0 ? peers : null,
                DataDir: Path.Combine(cluster._root, id)), environment);
            var app = await NodeHost.BuildAsync(options, logging: l => l.ClearProviders());
            await app.StartAsync();
            cluster._apps.Add(app);
        }
        return cluster;
    }

    public string Root => _root;

    public async Task<string> WaitForLeaderUrlAsync(TimeSpan within)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var port in Ports)
            {
                try
                {
                    var status = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/status"));
                    if (status?["work_queue"]?["is_leader"]?.GetValue<bool>() == true) return $"http://127.0.0.1:{port}/";
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("no leader");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
