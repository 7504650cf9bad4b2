using System.Diagnostics;
using System.Globalization;
using RingRift.P2P.Testing.Clocks;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Clocks;

/// <summary>
/// <see cref="FaketimeClock"/> against the real library: <c>date</c> started with its environment reads the
/// wall clock the test set, and the leftovers libfaketime keeps in <c>/dev/shm</c> for a killed process go once
/// it has ended. Trait <c>Category=Faketime</c>.
/// </summary>
[Trait("Category", FaketimeClock.Category)]
public sealed class FaketimeClockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ringrift-faketime-clock-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(0)]
    public async Task WallStepClock_StepsTheWallClockOfAProgramStartedWithItsEnvironment(int hours)
    {
        var clock = FaketimeClock.ForWallSteps(_dir);
        clock.StepWallClock(TimeSpan.FromHours(hours));

        var (seen, pid) = await DateAsync(clock);
        FaketimeClock.RemoveLeftovers([pid]);

        var expected = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + hours * 3600;
        Assert.InRange(seen, expected - 30, expected + 1); // `date` ran a moment ago on a loaded machine
        Assert.Equal(TimeSpan.FromHours(hours), clock.Offset);
    }

    [Fact]
    public void EachClockRefusesTheOtherKindOfFault()
    {
        // A step on a drift clock would move its monotonic clock too; a rate on a wall-step clock would leave it alone.
        Assert.Throws<InvalidOperationException>(() => FaketimeClock.ForDrift(Path.Combine(_dir, "drift")).StepWallClock(TimeSpan.FromHours(1)));
        Assert.Throws<InvalidOperationException>(() => FaketimeClock.ForWallSteps(Path.Combine(_dir, "steps")).SetRate(1.1));
        Assert.Equal("1", FaketimeClock.ForWallSteps(Path.Combine(_dir, "env")).Environment["FAKETIME_DONT_FAKE_MONOTONIC"]);
    }

    [Fact]
    public async Task RemoveLeftovers_DeletesTheSharedMemoryAndSemaphoreOfAKilledProcess()
    {
        // A process that exits cleans up after itself; one killed (as the test beds kill nodes) cannot.
        var info = new ProcessStartInfo("sleep", "60") { UseShellExecute = false };
        foreach (var (name, value) in FaketimeClock.ForWallSteps(_dir).Environment) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var leftovers = new[] { $"/dev/shm/faketime_shm_{process.Id}", $"/dev/shm/sem.faketime_sem_{process.Id}" };
        await Eventually.Until(() => leftovers.All(File.Exists), $"libfaketime's {string.Join(" and ", leftovers)}");
        FaketimeClock.RemoveLeftovers([process.Id]);
        Assert.All(leftovers, path => Assert.True(File.Exists(path), $"{path} removed while its process still ran"));

        process.Kill();
        await process.WaitForExitAsync();
        FaketimeClock.RemoveLeftovers([process.Id]);

        Assert.All(leftovers, path => Assert.False(File.Exists(path), path));
    }

    /// <summary>Runs <c>date +%s</c> with the clock's environment; its output and process id.</summary>
    private static async Task<(long Seconds, int ProcessId)> DateAsync(FaketimeClock clock)
    {
        var info = new ProcessStartInfo("date", "+%s") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var (name, value) in clock.Environment) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"date exited with {process.ExitCode}");
        return (long.Parse(output.Trim(), CultureInfo.InvariantCulture), process.Id);
    }
}
