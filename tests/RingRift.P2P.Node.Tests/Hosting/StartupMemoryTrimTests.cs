using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Testing.Logging;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Hosting;

/// <summary>
/// The node gives its start-up memory back once, <see cref="StartupMemoryTrim.Settle"/> after its host started
/// (docs/footprint.md): on virtual time, and the trim itself on this process's C heap.
/// </summary>
[Collection(ResidentMemoryCollection.Name)]
public sealed class StartupMemoryTrimTests
{
    [Fact]
    public async Task Trims_once_exactly_Settle_after_the_host_started()
    {
        var time = new FakeTimeProvider();
        var lifetime = new ApplicationLifetime(new ListLogger<ApplicationLifetime>());
        var log = new ListLogger<StartupMemoryTrim>();
        var trims = 0;
        using var trim = new StartupMemoryTrim(lifetime, time, log)
        {
            Trim = () =>
            {
                Interlocked.Increment(ref trims);
                return new StartupMemoryTrim.TrimResult(30 << 20, 20 << 20, true);
            },
        };
        await trim.StartAsync(CancellationToken.None);

        time.Advance(StartupMemoryTrim.Settle * 3); // not started yet: nothing counts
        lifetime.NotifyStarted();
        await trim.Settling;
        time.Advance(StartupMemoryTrim.Settle - TimeSpan.FromTicks(1));
        Assert.Equal(0, Volatile.Read(ref trims));

        time.Advance(TimeSpan.FromTicks(1));
        await Eventually.Until(() => Volatile.Read(ref trims) == 1, "the trim after Settle");
        time.Advance(TimeSpan.FromHours(1));
        await trim.StopAsync(CancellationToken.None);

        Assert.Equal(1, trims);
        var line = Assert.Single(log.Entries);
        Assert.Equal((LogLevel.Information, "Start-up memory given back: private memory 30.0 MB -> 20.0 MB (C heap released pages: True)"), line);
    }

    [Fact]
    public async Task Stopping_before_Settle_trims_nothing_and_logs_nothing()
    {
        var time = new FakeTimeProvider();
        var lifetime = new ApplicationLifetime(new ListLogger<ApplicationLifetime>());
        var log = new ListLogger<StartupMemoryTrim>();
        var trims = 0;
        using var trim = new StartupMemoryTrim(lifetime, time, log) { Trim = () => { trims++; return default; } };
        await trim.StartAsync(CancellationToken.None);
        lifetime.NotifyStarted();
        await trim.Settling;

        await trim.StopAsync(CancellationToken.None);
        time.Advance(StartupMemoryTrim.Settle);

        Assert.Equal(0, trims);
        Assert.Empty(log.Entries);
    }

    [Fact]
    public async Task Only_run_trims_a_node_built_into_another_process_leaves_the_process_memory_alone()
    {
        var dataDir = Directory.CreateTempSubdirectory("ringrift-trim-").FullName;
        try
        {
            var options = NodeOptionsResolver.Resolve(
                new RunFlags(NodeId: "host-1", Port: TestPorts.Free(1)[0], Host: "127.0.0.1", DataDir: dataDir), new Dictionary<string, string?>());
            await using var app = await NodeHost.BuildAsync(options, logging: l => l.ClearProviders());
            var hosted = app.Services.GetServices<IHostedService>().ToList();
            Assert.NotEmpty(hosted);
            Assert.DoesNotContain(hosted, s => s is StartupMemoryTrim);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public void NativeHeap_Trim_hands_the_freed_middle_of_the_C_heap_back_to_the_kernel()
    {
        Assert.True(OperatingSystem.IsLinux(), "the node's trim is for glibc on Linux; this test reads /proc");
        // 32 MB in 64 KB blocks: below glibc's mmap threshold, so they come from a heap, not from mmaps of their own.
        const int block = 64 * 1024, count = 512;
        var blocks = new nint[count];
        var filler = new byte[block];
        Array.Fill(filler, (byte)1);
        for (var i = 0; i < count; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(block);
            Marshal.Copy(filler, 0, blocks[i], block); // touched: resident
        }
        var top = Marshal.AllocHGlobal(block); // keeps the heap's top in use, so free() alone cannot shrink the heap
        try
        {
            var held = ResidentMemory.PrivateBytes()!.Value;
            foreach (var b in blocks) Marshal.FreeHGlobal(b);
            var freed = ResidentMemory.PrivateBytes()!.Value;
            // The control: glibc keeps what was freed below the top, which is why the node trims at all.
            Assert.True(held - freed < count * block / 4, $"free() already gave back {(held - freed) >> 20} MB of 32 MB");

            Assert.True(NativeHeap.Trim());
            var trimmed = ResidentMemory.PrivateBytes()!.Value;
            Assert.True(freed - trimmed >= count * block * 3 / 4, $"the trim gave back {(freed - trimmed) >> 20} MB of the 32 MB freed");
        }
        finally
        {
            Marshal.FreeHGlobal(top);
        }
    }

    [Fact]
    public void ResidentMemory_reads_the_kB_field_of_a_status_file_in_bytes_and_nothing_else()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["Name:\tringrift-p2p", "VmRSS:\t  117000 kB", "RssAnon:\t   22704 kB", "RssFile:\t   75364 kB", "Threads:\t18"]);
            Assert.Equal(22704L * 1024, ResidentMemory.Read(file, "RssAnon:"));
            Assert.Equal(117000L * 1024, ResidentMemory.Read(file, "VmRSS:"));
            Assert.Null(ResidentMemory.Read(file, "Threads:")); // not a kB line
            Assert.Null(ResidentMemory.Read(file, "RssShmem:")); // absent
            Assert.Null(ResidentMemory.Read(file + ".missing", "RssAnon:"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}

/// <summary>Tests that read this process's resident memory run alone: another test allocating meanwhile would blur the figures.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ResidentMemoryCollection
{
    public const string Name = "resident memory";
}
