using RingRift.P2P.Coordination;
using RingRift.P2P.Election;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>One node of an <see cref="InProcessCluster"/>: a started web application and its services.</summary>
public sealed class ClusterNode(string id, int port, WebApplication app) : IAsyncDisposable
{
    /// <summary>How long a graceful stop may take on a loaded machine before the host stops the rest forcibly.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    public string Id { get; } = id;
    public int Port { get; } = port;
    public bool Running { get; private set; } = true;
    public string Url => $"http://127.0.0.1:{Port}/";
    public IServiceProvider Services => app.Services;
    public BullyElection Election => app.Services.GetRequiredService<BullyElection>();
    public QuorumWorkQueue Queue => app.Services.GetRequiredService<QuorumWorkQueue>();

    public async Task StopAsync()
    {
        if (!Running) return;
        Running = false;
        using var cts = new CancellationTokenSource(StopGrace);
        await app.StopAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); }
        finally { await app.DisposeAsync(); }
    }
}
