using System.Runtime.InteropServices;

namespace RingRift.P2P.Node.Hosting;

/// <summary>
/// The C library's heap (where SQLite, the JIT and the runtime's own structures allocate). glibc keeps memory
/// freed in the middle of its heaps for later <c>malloc</c>s instead of giving it back; <see cref="Trim"/> hands
/// the free pages to the kernel (<c>malloc_trim(0)</c>, every arena), so they stop counting as resident.
/// </summary>
internal static class NativeHeap
{
    /// <summary>
    /// Returns the C heap's free pages to the kernel. True when glibc released some; false when nothing was
    /// free, and on a system without glibc's <c>malloc_trim</c> (not Linux, or musl), where it does nothing.
    /// </summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return MallocTrim(0) != 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // Blittable, so the classic DllImport needs no generated stub (LibraryImport would need <AllowUnsafeBlocks>).
    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
