using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace RingRift.P2P.Resources;

/// <summary>Runs and parses <c>nvidia-smi --query-gpu=name,memory.total,memory.used,utilization.gpu --format=csv,noheader,nounits</c>.</summary>
public static class NvidiaSmi
{
    /// <summary>The arguments passed to <c>nvidia-smi</c>.</summary>
    public static IReadOnlyList<string> QueryArguments { get; } =
        ["--query-gpu=name,memory.total,memory.used,utilization.gpu", "--format=csv,noheader,nounits"];

    /// <summary>
    /// Summarises the query output, one line per GPU ("NVIDIA A10, 23028, 512, 7"). Blank lines and
    /// garbage (fewer than 4 fields, a blank name, a number that is neither numeric nor "[N/A]")
    /// are skipped. "[N/A]" / "[Not Supported]" memory counts as 0 and such utilization is left out
    /// of the mean. The name may itself hold commas: the last three fields are the numbers.
    /// </summary>
    /// <returns>The summary, or null when no line describes a GPU.</returns>
    public static GpuSummary? ParseQueryOutput(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        string? firstName = null;
        int count = 0, utilizationCount = 0;
        double totalMb = 0, usedMb = 0, utilizationSum = 0;

        foreach (var raw in csv.Split('\n'))
        {
            var fields = raw.Split(',');
            if (fields.Length < 4)
                continue; // blank line or not a query row
            var name = string.Join(',', fields[..^3]).Trim();
            if (name.Length == 0)
                continue;
            if (!TryField(fields[^3], out var total) || !TryField(fields[^2], out var used) || !TryField(fields[^1], out var utilization))
                continue; // garbage in a number column

            firstName ??= name;
            count++;
            totalMb += total ?? 0;
            usedMb += used ?? 0;
            if (utilization is { } u)
            {
                utilizationSum += u;
                utilizationCount++;
            }
        }

        if (firstName is null)
            return null;
        var memoryPercent = totalMb > 0 ? Math.Clamp(100.0 * usedMb / totalMb, 0, 100) : 0;
        var utilizationPercent = utilizationCount > 0 ? Math.Clamp(utilizationSum / utilizationCount, 0, 100) : 0;
        return new GpuSummary(firstName, count, (long)Math.Round(totalMb), (long)Math.Round(usedMb), memoryPercent, utilizationPercent);
    }

    /// <summary>
    /// Runs <c>nvidia-smi</c> with <see cref="QueryArguments"/> and returns its standard output, or
    /// null when the binary is absent, cannot start or exits non-zero. Cancelling
    /// <paramref name="ct"/> kills the process and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public static async Task<string?> RunQueryAsync(CancellationToken ct)
    {
        var start = new ProcessStartInfo("nvidia-smi")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in QueryArguments)
            start.ArgumentList.Add(argument);

        using var process = new Process { StartInfo = start };
        try
        {
            if (!process.Start())
                return null;
        }
        catch (Win32Exception)
        {
            return null; // not installed / not on PATH
        }

        try
        {
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var errors = process.StandardError.ReadToEndAsync(ct); // drained so a chatty stderr cannot block it
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            var text = await output.ConfigureAwait(false);
            await errors.ConfigureAwait(false);
            return process.ExitCode == 0 ? text : null;
        }
        catch (OperationCanceledException)
        {
            TryKill(process);
            throw;
        }
    }

    private static bool TryField(string text, out double? value)
    {
        var trimmed = text.Trim();
        value = null;
        if (trimmed.StartsWith('[') || trimmed.Equals("N/A", StringComparison.OrdinalIgnoreCase))
            return true; // "[N/A]", "[Not Supported]", "[Unknown Error]": a known-unknown value
        if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number) || number < 0)
            return false;
        value = number;
        return true;
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // already exited
        }
    }
}
