using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Storage;
using Xunit;

namespace RingRift.P2P.Tests.Storage;

/// <summary>
/// The storage flag and write gate with the free space given by the test: one transition per episode, the
/// reserve file released when full and written back on recovery, and no flapping between the two thresholds.
/// </summary>
public sealed class StorageHealthTests : IDisposable
{
    private const long Reserve = 256 << 10;
    private readonly string _dir = Directory.CreateTempSubdirectory("ringrift-storage-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddDays(20_000));
    private readonly List<StorageState> _changes = [];
    private long _free = 10 << 20;

    private StorageHealth Health()
    {
        var health = new StorageHealth(_dir, Reserve, _time, _ => Interlocked.Read(ref _free));
        health.Changed += _changes.Add;
        return health;
    }

    private static IOException Enospc() => new("No space left on device", OutOfSpace.Enospc);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Prepare_WritesTheReserveWithRealBytes()
    {
        var health = Health();
        health.Prepare();

        Assert.Equal(Reserve, new FileInfo(health.ReservePath).Length);
        Assert.False(health.IsFull);
        Assert.Empty(_changes);
    }

    [Fact]
    public void Report_FlagsOnce_ReleasesTheReserve_AndTheGateRefusesNamingPathAndSince()
    {
        var health = Health();
        health.Prepare();
        _free = 0;

        var first = health.Report("/data/work_queue.db", Enospc());
        health.Report("/data/voter_state.json", Enospc());

        Assert.Contains("/data/work_queue.db", first.Message);
        var state = Assert.Single(_changes);
        Assert.True(state.Full);
        Assert.Equal("/data/work_queue.db", state.Path);
        Assert.Equal(_time.GetUtcNow(), state.Since);
        Assert.False(File.Exists(health.ReservePath));
        var refused = Assert.Throws<StorageFullException>(() => health.ThrowIfFull("/data/work_queue.db"));
        Assert.Contains("storage full since", refused.Message);
        Assert.Contains($"writes resume once {2 * Reserve} bytes are free", refused.Message);
        Assert.Equal(3, health.Current.RefusedWrites);
    }

    [Fact]
    public void Recovery_NeedsTwiceTheReserveFree_ThenWritesTheReserveBack_AndRaisesOnce()
    {
        var health = Health();
        health.Prepare();
        health.Report("/data/work_queue.db", Enospc());
        _changes.Clear();

        _free = 2 * Reserve - 1; // one byte short
        Assert.False(health.TryRecover());
        Assert.Throws<StorageFullException>(() => health.ThrowIfFull("/data/x"));
        Assert.Empty(_changes);

        _free = 2 * Reserve;
        health.ThrowIfFull("/data/x"); // the next gated write recovers and goes through

        var recovered = Assert.Single(_changes);
        Assert.False(recovered.Full);
        Assert.Null(recovered.Path);
        Assert.Equal(Reserve, new FileInfo(health.ReservePath).Length);
        Assert.True(health.TryRecover());
        Assert.Single(_changes);
    }

    [Fact]
    public void EnsureRoom_RefusesBelowTheReserve_AndARecoveredNodeIsNotRefusedAgainAtOnce()
    {
        var health = Health();
        Assert.Equal(Reserve, health.LowFreeBytes);
        _free = Reserve;
        health.EnsureRoom("/data/raft/wal");
        Assert.False(health.IsFull);

        _free = Reserve - 1;
        var refused = Assert.Throws<StorageFullException>(() => health.EnsureRoom("/data/raft/wal"));
        Assert.Contains($"only {Reserve - 1} bytes free", refused.Message);
        Assert.True(health.IsFull);

        // Recovery leaves at least RecoverFreeBytes - reserve = LowFreeBytes free: the next EnsureRoom passes.
        _free = health.RecoverFreeBytes;
        Assert.True(health.TryRecover());
        _free -= Reserve; // the reserve written back
        health.EnsureRoom("/data/raft/wal");
        Assert.False(health.IsFull);
    }

    [Fact]
    public void Thresholds_WithoutAReserve_StillKeepAMargin()
    {
        var health = new StorageHealth(_dir, 0, _time, _ => 0);
        Assert.Equal(StorageHealth.MinRecoverBytes, health.RecoverFreeBytes);
        Assert.Equal(StorageHealth.MinRecoverBytes / 2, health.LowFreeBytes);
        health.Prepare();
        Assert.False(File.Exists(health.ReservePath));
    }
}
