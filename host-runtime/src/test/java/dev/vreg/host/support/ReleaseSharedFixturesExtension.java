package dev.vreg.host.support;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Clears the static fields of a test class that held its shared fixtures (servers, clients, upstream stand-ins), once
 * the class's own {@code @AfterAll} methods have closed them. The suite runs every class in one JVM, and a loaded
 * class keeps its static fields reachable to the end: without this, each closed server, with its Vert.x instance,
 * routers and caches, stayed in a heap that the suite keeps small on purpose (large zips must stream).
 */
public final class ReleaseSharedFixturesExtension implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (Class<?> type = context.getRequiredTestClass(); type != null && type != Object.class;
             type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) && !Modifier.isFinal(modifiers) && !field.getType().isPrimitive()
                        && AutoCloseable.class.isAssignableFrom(field.getType())) {
                    field.setAccessible(true);
                    field.set(null, null);
                }
            }
        }
    }
}
