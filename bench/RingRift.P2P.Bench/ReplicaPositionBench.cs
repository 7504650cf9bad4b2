using System.Diagnostics;
using System.Text.Json;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Sqlite;

namespace RingRift.P2P.Bench;

/// <summary>
/// What recording the acknowledged position (<see cref="ReplicaPosition"/>, a small file rewritten by a
/// rename, no fsync) adds to a replica's push: N one-item pushes applied to a SQLite store (one commit each,
/// as a replica applies them), then the same pushes each followed by the position write a replica now does
/// before it acknowledges. Reports the mean microseconds per push of both and of the position write alone.
/// </summary>
public static class ReplicaPositionBench
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var pushes = BenchArgs.GetInt(args, "--pushes", 2000);
        var root = Directory.CreateTempSubdirectory("ringrift-position-").FullName;
        try
        {
            await using var store = await SqliteWorkQueue.OpenAsync(Path.Combine(root, "work_queue.db"));
            var position = new ReplicaPosition(Path.Combine(root, "replica_position"));
            var version = 1L << SqliteWorkQueue.EpochShift;
            WorkItem[] Push() => [new WorkItem { WorkId = $"w-{version}", WorkType = JobType.Selfplay, Version = ++version }];

            await store.ApplyReplicatedAsync(Push()); // warm-up
            position.Record(Push());

            var plain = Stopwatch.StartNew();
            for (var i = 0; i < pushes; i++) await store.ApplyReplicatedAsync(Push());
            plain.Stop();

            var recorded = Stopwatch.StartNew();
            for (var i = 0; i < pushes; i++)
            {
                var items = Push();
                await store.ApplyReplicatedAsync(items);
                position.Record(items);
            }
            recorded.Stop();

            var alone = Stopwatch.StartNew();
            for (var i = 0; i < pushes; i++) position.Record(Push());
            alone.Stop();

            double PerPush(Stopwatch s) => Math.Round(s.Elapsed.TotalMicroseconds / pushes, 1);
            output.WriteLine(JsonSerializer.Serialize(new
            {
                bench = "replica_position",
                pushes,
                push_us = PerPush(plain),
                push_and_position_us = PerPush(recorded),
                position_write_us = PerPush(alone),
            }));
            return 0;
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }
}
