using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.PeerHttp;
using RingRift.P2P.Node.Sync;
using RingRift.P2P.Testing.Ports;

namespace RingRift.P2P.Node.Tests.Sync;

/// <summary>A temporary directory, removed with everything in it on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir(string label = "sync")
    {
        Path = Directory.CreateTempSubdirectory($"ringrift-{label}-").FullName;
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="size"/> seeded random bytes at the data-dir relative <paramref name="relative"/>; returns their sha256 hex.</summary>
    public string WriteRandom(string relative, int size, int seed = 1)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return Write(relative, bytes);
    }

    public string Write(string relative, byte[] bytes)
    {
        var full = Full(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    public string Full(string relative) => System.IO.Path.Join(Path, relative);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>
/// A real Kestrel on 127.0.0.1 (a port from <see cref="TestPorts"/>) serving <c>/sync/*</c> for a data dir, with the node's error
/// and auth middleware; <paramref name="hook"/> adds middleware in front of the routes (cuts, counters).
/// </summary>
public sealed class SyncServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SyncServer(WebApplication app, DataSync sync, Uri baseUri)
    {
        _app = app;
        Sync = sync;
        BaseUri = baseUri;
    }

    public DataSync Sync { get; }

    public Uri BaseUri { get; }

    public static async Task<SyncServer> StartAsync(string dataDir, string? token = null, Action<WebApplication>? hook = null,
        long bandwidth = 0, string nodeId = "server")
    {
        var sync = new DataSync(new SyncOptions { DataDir = dataDir, NodeId = nodeId, BandwidthBytesPerSecond = bandwidth }, new ClusterToken(token));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{TestPorts.Free()}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseApiErrors();
        app.UseClusterAuth(new ClusterToken(token));
        hook?.Invoke(app);
        app.MapSyncApi(sync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new SyncServer(app, sync, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Sync.Dispose();
    }
}

public static class SyncTestData
{
    /// <summary>A pulling node over <paramref name="dataDir"/>: no retry pause, a roomy fake drive unless given one, the default stall timeout unless given one.</summary>
    public static DataSync Client(string dataDir, string? token = null, Func<string, DiskSpace>? disk = null, int attempts = 3,
        long bandwidth = 0, TimeProvider? time = null, TimeSpan? stall = null) =>
        new(new SyncOptions
        {
            DataDir = dataDir,
            NodeId = "client",
            RetryDelay = TimeSpan.Zero,
            PullAttempts = attempts,
            FreeSpaceReserveBytes = 0,
            FreeSpaceReservePercent = 0,
            BandwidthBytesPerSecond = bandwidth,
            StallTimeout = stall ?? new SyncOptions { DataDir = dataDir, NodeId = "client" }.StallTimeout,
        }, new ClusterToken(token), time: time, diskSpace: disk ?? (_ => new DiskSpace(1L << 40, 1L << 41)));

    public static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
