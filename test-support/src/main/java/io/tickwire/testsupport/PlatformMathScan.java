package io.tickwire.testsupport;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds calls to the {@code java.lang.Math} methods whose results may differ between platforms and JVMs (the JIT
 * replaces them with intrinsics that are allowed to be off by an ulp), in compiled classes. Deterministic code must
 * call {@link StrictMath} instead, or a replay on another machine drifts from the recording. The methods
 * {@code Math} specifies exactly (sqrt, abs, min, max, floor, ceil, round, floorMod, fma...) are allowed.
 * <p>
 * Reads each class file's constant pool: a method reference to {@code java/lang/Math.sin} is there if and only if
 * the class calls it (or takes a method handle to it).
 */
public final class PlatformMathScan
{
    /**
     * {@code Math} methods that {@code StrictMath} exists to make reproducible.
     */
    public static final Set<String> PLATFORM_DEPENDENT = Set.of(
        "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh",
        "exp", "expm1", "log", "log10", "log1p", "pow", "hypot", "cbrt");

    private static final int CONSTANT_UTF8 = 1;
    private static final int CONSTANT_INTEGER = 3;
    private static final int CONSTANT_FLOAT = 4;
    private static final int CONSTANT_LONG = 5;
    private static final int CONSTANT_DOUBLE = 6;
    private static final int CONSTANT_CLASS = 7;
    private static final int CONSTANT_STRING = 8;
    private static final int CONSTANT_FIELDREF = 9;
    private static final int CONSTANT_METHODREF = 10;
    private static final int CONSTANT_INTERFACE_METHODREF = 11;
    private static final int CONSTANT_NAME_AND_TYPE = 12;
    private static final int CONSTANT_METHOD_HANDLE = 15;
    private static final int CONSTANT_METHOD_TYPE = 16;
    private static final int CONSTANT_DYNAMIC = 17;
    private static final int CONSTANT_INVOKE_DYNAMIC = 18;
    private static final int CONSTANT_MODULE = 19;
    private static final int CONSTANT_PACKAGE = 20;

    private PlatformMathScan()
    {
    }

    /**
     * @param anchors one class from each code source (class directory or jar) to scan.
     * @return every call found, as {@code com.example.Foo -> Math.sin}, sorted.
     */
    public static List<String> violations(final Class<?>... anchors) throws IOException, URISyntaxException
    {
        final Set<String> found = new TreeSet<>();
        for (final Class<?> anchor : anchors)
        {
            final Path source = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(source))
            {
                try (Stream<Path> files = Files.walk(source))
                {
                    for (final Path file : (Iterable<Path>)files.filter(PlatformMathScan::isClassFile)::iterator)
                    {
                        scan(source.relativize(file).toString(), Files.readAllBytes(file), found);
                    }
                }
            }
            else
            {
                scanJar(source, found);
            }
        }
        return new ArrayList<>(found);
    }

    /**
     * @return the platform-dependent {@code Math} methods the class file calls.
     */
    static List<String> calls(final byte[] classFile) throws IOException
    {
        final List<String> calls = new ArrayList<>();
        final DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        in.readInt();
        in.readUnsignedShort();
        in.readUnsignedShort();
        final int count = in.readUnsignedShort();
        final String[] utf8 = new String[count];
        final int[] classNames = new int[count];
        final int[] memberClasses = new int[count];
        final int[] memberNameAndTypes = new int[count];
        final int[] nameAndTypeNames = new int[count];
        for (int i = 1; i < count; i++)
        {
            final int tag = in.readUnsignedByte();
            switch (tag)
            {
                case CONSTANT_UTF8:
                    utf8[i] = in.readUTF();
                    break;
                case CONSTANT_CLASS:
                    classNames[i] = in.readUnsignedShort();
                    break;
                case CONSTANT_METHODREF:
                case CONSTANT_INTERFACE_METHODREF:
                    memberClasses[i] = in.readUnsignedShort();
                    memberNameAndTypes[i] = in.readUnsignedShort();
                    break;
                case CONSTANT_NAME_AND_TYPE:
                    nameAndTypeNames[i] = in.readUnsignedShort();
                    in.readUnsignedShort();
                    break;
                case CONSTANT_LONG:
                case CONSTANT_DOUBLE:
                    in.readLong();
                    i++;
                    break;
                case CONSTANT_INTEGER:
                case CONSTANT_FLOAT:
                case CONSTANT_FIELDREF:
                case CONSTANT_DYNAMIC:
                case CONSTANT_INVOKE_DYNAMIC:
                    in.readInt();
                    break;
                case CONSTANT_METHOD_HANDLE:
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                    break;
                case CONSTANT_STRING:
                case CONSTANT_METHOD_TYPE:
                case CONSTANT_MODULE:
                case CONSTANT_PACKAGE:
                    in.readUnsignedShort();
                    break;
                default:
                    throw new IOException("unknown constant pool tag " + tag + " at " + i);
            }
        }
        for (int i = 1; i < count; i++)
        {
            if (memberClasses[i] != 0 && "java/lang/Math".equals(utf8[classNames[memberClasses[i]]]))
            {
                final String name = utf8[nameAndTypeNames[memberNameAndTypes[i]]];
                if (PLATFORM_DEPENDENT.contains(name))
                {
                    calls.add(name);
                }
            }
        }
        return calls;
    }

    private static void scanJar(final Path jar, final Set<String> found) throws IOException
    {
        try (JarFile file = new JarFile(jar.toFile()))
        {
            final Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements())
            {
                final JarEntry entry = entries.nextElement();
                if (entry.getName().endsWith(".class"))
                {
                    try (InputStream in = file.getInputStream(entry))
                    {
                        scan(entry.getName(), in.readAllBytes(), found);
                    }
                }
            }
        }
    }

    private static void scan(final String path, final byte[] classFile, final Set<String> found) throws IOException
    {
        final String className = path.replace('/', '.').replace('\\', '.').replaceAll("\\.class$", "");
        for (final String call : calls(classFile))
        {
            found.add(className + " -> Math." + call);
        }
    }

    private static boolean isClassFile(final Path file)
    {
        return file.toString().endsWith(".class");
    }
}
