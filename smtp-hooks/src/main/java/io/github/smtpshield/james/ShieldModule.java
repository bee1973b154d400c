package io.github.smtpshield.james;

import javax.inject.Inject;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.server.core.configuration.Configuration;
import org.apache.james.server.core.configuration.ConfigurationProvider;

import com.google.inject.AbstractModule;

import io.github.smtpshield.policy.config.ShieldConfig;

/**
 * The Guice extension module of SMTP Shield, enabled in {@code conf/extensions.properties}:
 * <pre>guice.extension.module=io.github.smtpshield.james.ShieldModule</pre>
 * James builds it once, when the first extension (a handler, mailet or WebAdmin route) is loaded. It reads
 * {@code conf/smtpshield.xml}, refuses to let James start as an open relay, and binds the singletons that the
 * shield's SMTP handlers, mailets and WebAdmin routes share: every handler line of {@code smtpserver.xml}
 * gets its own instance, so shared state lives here.
 */
public class ShieldModule extends AbstractModule {
    private final ShieldConfig config;

    @Inject
    public ShieldModule(FileSystem fileSystem, Configuration configuration, ConfigurationProvider configurationProvider) {
        PolicyFile policyFile = new PolicyFile(fileSystem, configuration);
        this.config = StartupGuard.failFast(() -> {
            ShieldConfig loaded = policyFile.load();
            new OpenRelayGuard(configurationProvider).check(loaded.relay());
            return loaded;
        });
    }

    @Override
    protected void configure() {
        bind(ShieldConfig.class).toInstance(config);
    }
}
