using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Sqlite;
using RingRift.P2P.Testing.Ports;

namespace RingRift.P2P.Node.Tests.Hosting;

public sealed class NodeHostTests
{
    [Fact]
    public async Task WorkQueueStore_IsOpenedByTheContainerWithItsClock_AndClosedWhenTheNodeIsDisposed()
    {
        var dataDir = Directory.CreateTempSubdirectory("ringrift-host-").FullName;
        try
        {
            var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
            var options = NodeOptionsResolver.Resolve(
                new RunFlags(NodeId: "host-1", Port: TestPorts.Free(1)[0], Host: "127.0.0.1", DataDir: dataDir),
                new Dictionary<string, string?>());
            var app = await NodeHost.BuildAsync(options, logging: l => l.ClearProviders(),
                configureServices: s => s.AddSingleton<TimeProvider>(clock));
            var store = app.Services.GetRequiredService<SqliteWorkQueue>();

            var item = await store.AddWorkAsync(new NewWork { WorkId = "w1", WorkType = JobType.Selfplay });
            await app.DisposeAsync();

            Assert.Equal(clock.GetUtcNow().ToUnixTimeSeconds(), item.CreatedAt);
            await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetWorkAsync("w1"));
            await using var reopened = await SqliteWorkQueue.OpenAsync(Path.Combine(dataDir, "work_queue.db"));
            Assert.Equal(WorkStatus.Pending, (await reopened.GetWorkAsync("w1"))!.Status);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Configuration_files_are_read_at_start_and_not_watched_for_changes()
    {
        // Watching would put an inotify watch on every directory below the working directory (under systemd the data
        // dir, with its synced files) and start a thread for the events.
        var dataDir = Directory.CreateTempSubdirectory("ringrift-host-").FullName;
        try
        {
            var options = NodeOptionsResolver.Resolve(
                new RunFlags(NodeId: "host-1", Port: TestPorts.Free(1)[0], Host: "127.0.0.1", DataDir: dataDir),
                new Dictionary<string, string?>());
            await using var app = await NodeHost.BuildAsync(options, logging: l => l.ClearProviders());
            var files = ((IConfigurationRoot)app.Configuration).Providers.OfType<JsonConfigurationProvider>().ToList();

            Assert.Equal(["appsettings.json", "appsettings.Production.json"], files.Select(f => f.Source.Path));
            Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, $"{f.Source.Path} is watched for changes"));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
