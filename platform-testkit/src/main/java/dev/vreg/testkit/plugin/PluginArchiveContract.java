package dev.vreg.testkit.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged archive of a plugin, checked against what its build says it is made of. Extend it in a class named
 * {@code PluginArchiveIT} in a module that inherits the {@code upstream-plugins} parent: that parent packages the
 * archive and runs the class with failsafe after {@code package}, passing these system properties:
 * <ul>
 *   <li>{@code vreg.pluginArchive}: the archive (a jar with the PF4J descriptor in its manifest);
 *   <li>{@code vreg.pluginClasses}, {@code vreg.pluginTestClasses}: the module's compiled main and test output;
 *   <li>{@code vreg.pluginBundled}, {@code vreg.pluginProvided}: files holding the class path of the module's
 *       compile and runtime dependencies (bundled into the archive) and of its provided ones (left to the host).
 * </ul>
 *
 * <pre>{@code
 * class PluginArchiveIT extends PluginArchiveContract {
 *     protected String pluginId() { return "acme-upstream"; }
 *     protected Set<String> bundledLibraries() { return Set.of("goproxy-client"); }
 * }
 * }</pre>
 *
 * <p>Classes the host shares with every plugin must never be inside: a plugin-local copy of an SPI interface makes
 * the extension invisible to the host or fails with a {@code ClassCastException}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PluginArchiveContract {

    /**
     * Package prefixes (as entry names) the host supplies parent-first to every plugin, as host-runtime's
     * {@code SharedFirstClassLoader} lists them, plus the testkit, which is for tests only.
     */
    public static final List<String> HOST_SUPPLIED = List.of("dev/vreg/spi/", "io/vertx/", "io/netty/",
            "com/fasterxml/jackson/", "org/slf4j/", "io/micrometer/", "org/pf4j/", "dev/vreg/testkit/");

    private static final String EXTENSION_INDEX = "META-INF/extensions.idx";

    private JarFile archive;
    private Set<String> entries;

    /** The {@code Plugin-Id} the archive's manifest must carry. */
    protected abstract String pluginId();

    /**
     * The artifact ids of the libraries the archive must bundle; each must be a compile or runtime dependency of
     * the module, and every class of it must be inside the archive. Empty for a plugin without libraries.
     */
    protected abstract Set<String> bundledLibraries();

    @BeforeAll
    final void openArchive() throws IOException {
        Path location = path("vreg.pluginArchive");
        assertThat(location).as("the packaged plugin archive").isRegularFile();
        archive = new JarFile(location.toFile());
        entries = new HashSet<>();
        archive.stream().map(ZipEntry::getName).forEach(entries::add);
    }

    @AfterAll
    final void closeArchive() throws IOException {
        if (archive != null) {
            archive.close();
        }
    }

    @Test
    void theManifestCarriesThePluginDescriptor() throws IOException {
        Attributes manifest = archive.getManifest().getMainAttributes();
        assertThat(manifest.getValue("Plugin-Id")).isEqualTo(pluginId());
        assertThat(manifest.getValue("Plugin-Version")).as("Plugin-Version").isNotBlank();
        assertThat(manifest.getValue("Plugin-Requires")).as("Plugin-Requires").isNotBlank();
        assertThat(manifest.getValue("Plugin-Provider")).as("Plugin-Provider").isNotBlank();
    }

    @Test
    void theExtensionIndexIsPackagedAndNamesPackagedClasses() throws IOException {
        ZipEntry index = archive.getEntry(EXTENSION_INDEX);
        assertThat(index).as(EXTENSION_INDEX + " in the archive").isNotNull();
        List<String> extensions;
        try (InputStream in = archive.getInputStream(index)) {
            extensions = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        }
        assertThat(extensions).as("extensions listed in " + EXTENSION_INDEX).isNotEmpty();
        Path compiled = path("vreg.pluginClasses").resolve(EXTENSION_INDEX);
        assertThat(extensions).as("the index the annotation processor wrote")
                .containsExactlyInAnyOrderElementsOf(Files.readAllLines(compiled).stream()
                        .map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList());
        for (String extension : extensions) {
            assertThat(entries).as("the class of extension " + extension)
                    .contains(extension.replace('.', '/') + ".class");
        }
    }

    @Test
    void everyClassAndResourceOfThePluginIsPackaged() {
        Set<String> own = filesUnder(path("vreg.pluginClasses"));
        assertThat(own).as("compiled plugin classes").anyMatch(name -> name.endsWith(".class"));
        assertThat(missing(own)).as("the plugin's own files missing from the archive").isEmpty();
    }

    @Test
    void everyBundledLibraryIsPackagedWhole() {
        List<Path> bundled = classPath("vreg.pluginBundled");
        for (String library : bundledLibraries()) {
            assertThat(bundled).as("compile or runtime dependencies").extracting(PluginArchiveContract::artifactName)
                    .anySatisfy(name -> assertThat(name).isEqualTo(library));
        }
        for (Path library : bundled) {
            Set<String> classes = classesOf(library);
            assertThat(classes).as("classes of " + library.getFileName()).isNotEmpty();
            assertThat(missing(classes)).as("classes of " + library + " missing from the archive").isEmpty();
        }
    }

    @Test
    void noClassTheHostSuppliesIsPackaged() {
        assertThat(select(entries, name -> HOST_SUPPLIED.stream().anyMatch(name::startsWith)))
                .as("archive entries in host-supplied packages").isEmpty();
        List<Path> provided = classPath("vreg.pluginProvided");
        assertThat(provided).as("provided dependencies").isNotEmpty();
        for (Path library : provided) {
            assertThat(select(classesOf(library), entries::contains))
                    .as("classes of provided " + library.getFileName() + " in the archive").isEmpty();
        }
    }

    @Test
    void noTestClassOrResourceIsPackaged() {
        Path tests = path("vreg.pluginTestClasses");
        Set<String> testFiles = Files.isDirectory(tests) ? filesUnder(tests) : Set.of();
        // The annotation processor also writes an (empty) index for the test sources; the main one is packaged.
        assertThat(select(testFiles, name -> !name.equals(EXTENSION_INDEX) && entries.contains(name)))
                .as("test classes and resources in the archive").isEmpty();
    }

    private Set<String> missing(Set<String> names) {
        return select(names, name -> !entries.contains(name));
    }

    private static Set<String> select(Set<String> names, Predicate<String> selected) {
        Set<String> chosen = new TreeSet<>();
        names.stream().filter(selected).forEach(chosen::add);
        return chosen;
    }

    private static Path path(String property) {
        String value = System.getProperty(property);
        assertThat(value).as("system property " + property + ", set by the upstream-plugins parent's failsafe "
                + "configuration").isNotBlank();
        return Path.of(value);
    }

    private static List<Path> classPath(String property) {
        Path file = path(property);
        assertThat(file).as("the class path list " + file).isRegularFile();
        try {
            String text = Files.readString(file).trim();
            List<Path> paths = new ArrayList<>();
            if (!text.isEmpty()) {
                for (String element : text.split(java.io.File.pathSeparator)) {
                    paths.add(Path.of(element.trim()));
                }
            }
            return paths;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The artifact id of a dependency: its jar's name before the version, or a reactor module's directory name. */
    static String artifactName(Path library) {
        if (Files.isDirectory(library)) {
            // A reactor module resolved to target/classes.
            return library.getParent().getParent().getFileName().toString();
        }
        String name = library.getFileName().toString();
        int version = name.length();
        for (int i = 1; i < name.length(); i++) {
            if (name.charAt(i - 1) == '-' && Character.isDigit(name.charAt(i))) {
                version = i - 1;
                break;
            }
        }
        return name.substring(0, version);
    }

    /** Class files of a dependency, a jar or a directory; multi-release variants and module-info are left out. */
    private static Set<String> classesOf(Path library) {
        Set<String> names = Files.isDirectory(library) ? filesUnder(library) : entriesOf(library);
        Set<String> classes = new HashSet<>();
        for (String name : names) {
            if (name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class")) {
                classes.add(name);
            }
        }
        return classes;
    }

    private static Set<String> entriesOf(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Set<String> names = new HashSet<>();
            file.stream().filter(entry -> !entry.isDirectory()).forEach(entry -> names.add(entry.getName()));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }

    /** Files under {@code root} as archive entry names ({@code /}-separated, relative). */
    private static Set<String> filesUnder(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            Set<String> names = new HashSet<>();
            files.filter(Files::isRegularFile)
                    .forEach(file -> names.add(root.relativize(file).toString().replace('\\', '/')));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }
}
