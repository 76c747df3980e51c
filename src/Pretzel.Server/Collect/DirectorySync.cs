using System.Runtime.InteropServices;

namespace Pretzel.Server.Collect;

/// <summary>
/// Syncs a folder's entry list to disk, so a newly created log segment survives a power loss and not
/// only a killed process. .NET has no API for it; on Linux and macOS it is open(2) + fsync(2) on the folder.
/// </summary>
internal static partial class DirectorySync
{
    internal static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            return;
        }

        try
        {
            _ = Fsync(fd);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
