using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using RingRift.P2P.Node.PeerHttp;
using RingRift.P2P.Node.Sync;

namespace RingRift.P2P.Bench;

/// <summary>
/// Data sync on loopback: a file set (default 16 × 64 MiB = 1 GiB of seeded random bytes, generated in a temp
/// dir and deleted afterwards) is served by a real Kestrel on 127.0.0.1 and pulled by <see cref="DataSync"/>
/// into another dir, every file sha256-verified. Prints the hashing cost (the serving node's first manifest
/// scan: wall time and process CPU time) and the pull throughput. MB = 10^6 bytes.
/// </summary>
public static class SyncBench
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var mib = BenchArgs.GetInt(args, "--mib", 1024);
        var files = BenchArgs.GetInt(args, "--files", 16);
        var concurrency = BenchArgs.GetInt(args, "--concurrency", 2);
        var bandwidthMbps = args.Contains("--bandwidth-mbps") ? BenchArgs.Get(args, "--bandwidth-mbps", 0) : 0;
        var fileBytes = (long)mib * 1024 * 1024 / files;
        var total = fileBytes * files;

        var remote = Directory.CreateTempSubdirectory("ringrift-syncbench-remote-").FullName;
        var local = Directory.CreateTempSubdirectory("ringrift-syncbench-local-").FullName;
        try
        {
            Generate(remote, files, fileBytes);
            using var server = new DataSync(new SyncOptions { DataDir = remote, NodeId = "bench-server" }, new ClusterToken(null));
            await using var app = await StartAsync(server);
            var baseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/') + "/");

            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var manifest = await server.LocalManifestAsync(null, CancellationToken.None);
            var hashSeconds = clock.Elapsed.TotalSeconds;
            process.Refresh();
            var hashCpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            output.WriteLine(JsonSerializer.Serialize(new
            {
                bench = "sha256",
                files = manifest.Files.Count,
                bytes = manifest.TotalBytes,
                seconds = Math.Round(hashSeconds, 3),
                mb_per_s = Math.Round(manifest.TotalBytes / 1e6 / hashSeconds, 1),
                cpu_seconds = Math.Round(hashCpu, 3),
            }));

            using var client = new DataSync(new SyncOptions
            {
                DataDir = local,
                NodeId = "bench-client",
                MaxConcurrentPulls = concurrency,
                BandwidthBytesPerSecond = (long)(bandwidthMbps * 1e6),
                FreeSpaceReserveBytes = 0,
                FreeSpaceReservePercent = 0,
            }, new ClusterToken(null));
            cpuBefore = process.TotalProcessorTime;
            clock.Restart();
            var batch = await client.PullMatchingAsync([new SyncPeer("bench-server", baseUri)], "games/bench");
            var seconds = clock.Elapsed.TotalSeconds;
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            if (!batch.Succeeded || batch.Pulled.Count != files)
                throw new InvalidOperationException($"sync bench pulled {batch.Pulled.Count} of {files} files: {string.Join("; ", batch.Failures.Select(f => f.Message))}");
            output.WriteLine(JsonSerializer.Serialize(new
            {
                bench = "sync",
                files,
                bytes = total,
                seconds = Math.Round(seconds, 3),
                mb_per_s = Math.Round(total / 1e6 / seconds, 1),
                cpu_seconds = Math.Round(cpu, 3),
                concurrency,
                bandwidth_mbps = bandwidthMbps,
            }));
            return 0;
        }
        finally
        {
            Directory.Delete(remote, recursive: true);
            Directory.Delete(local, recursive: true);
        }
    }

    /// <summary>Writes <paramref name="files"/> files of seeded random bytes under games/bench/.</summary>
    private static void Generate(string dataDir, int files, long fileBytes)
    {
        var dir = Path.Combine(dataDir, "games", "bench");
        Directory.CreateDirectory(dir);
        var block = new byte[1 << 20];
        for (var i = 0; i < files; i++)
        {
            var random = new Random(i + 1);
            using var file = new FileStream(Path.Combine(dir, $"part-{i:D3}.bin"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
            for (long written = 0; written < fileBytes; written += block.Length)
            {
                random.NextBytes(block);
                file.Write(block, 0, (int)Math.Min(block.Length, fileBytes - written));
            }
        }
    }

    private static async Task<WebApplication> StartAsync(DataSync sync)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapSyncApi(sync);
        await app.StartAsync();
        return app;
    }
}
