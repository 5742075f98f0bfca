package main

import (
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"

	"github.com/ispstack/crm/bulk/notify"
)

// loadNotifierConfig reads the delivery of bulk messages into cfg: the
// SMTP server and sender of emails, the SMS gateway and its secret, and
// the send rate. Each bad variable goes to bad, never with a secret: the
// URLs are checked as the notifiers will read them (without connecting),
// and their errors do not repeat them.
func loadNotifierConfig(cfg *config, getenv func(string) string, bad func(name, format string, args ...any)) {
	if v := strings.TrimSpace(getenv("SMTP_FROM")); v != "" {
		if _, err := mail.ParseAddress(v); err != nil {
			bad("SMTP_FROM", "must be an email address with an optional name such as \"ISP <no-reply@isp.example>\", got %q", v)
		}
		cfg.smtpFrom = v
	}
	if v := strings.TrimSpace(getenv("SMTP_URL")); v != "" {
		if _, err := notify.NewSMTP(v, defaultSMTPFrom, notify.SMTPOptions{}); err != nil {
			bad("SMTP_URL", "%s", strings.TrimPrefix(err.Error(), "notify: "))
		}
		cfg.smtpURL = v
	}
	cfg.smsWebhookURL = strings.TrimSpace(getenv("SMS_WEBHOOK_URL"))
	cfg.smsWebhookSecret = strings.TrimSpace(getenv("SMS_WEBHOOK_SECRET"))
	if cfg.smsWebhookURL != "" {
		if cfg.smsWebhookSecret == "" {
			bad("SMS_WEBHOOK_SECRET", "is required when SMS_WEBHOOK_URL is set: the gateway checks each request's HMAC-SHA256 signature with it")
		} else if _, err := notify.NewWebhook(cfg.smsWebhookURL, cfg.smsWebhookSecret, http.DefaultClient); err != nil {
			bad("SMS_WEBHOOK_URL", "%s", strings.TrimPrefix(err.Error(), "notify: "))
		}
	}
	if v := strings.TrimSpace(getenv("BULK_SEND_RATE")); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f > 0) || math.IsInf(f, 0) {
			bad("BULK_SEND_RATE", "must be a positive number of messages per second, got %q", v)
		}
		cfg.sendRate = f
	}
}

// newNotifier builds the Notifier of bulk messages: emails through
// SMTP_URL, SMS through SMS_WEBHOOK_URL, and a channel without one into
// the log. It logs, per channel, where its messages go (a channel only
// logged is a warning: nobody receives them); the SMTP password and the
// webhook's query are masked. The func returned closes the SMTP
// connections.
func newNotifier(cfg *config, logger *slog.Logger) (notify.Notifier, func(), error) {
	logged := notify.NewLog(logger)
	router := notify.Router{Email: logged, SMS: logged}
	closeSMTP := func() {}
	if cfg.smtpURL != "" {
		smtp, err := notify.NewSMTP(cfg.smtpURL, cfg.smtpFrom, notify.SMTPOptions{})
		if err != nil {
			return nil, nil, fmt.Errorf("SMTP_URL: %s", strings.TrimPrefix(err.Error(), "notify: "))
		}
		router.Email, closeSMTP = smtp, smtp.Close
		logger.Info("bulk emails are sent through SMTP_URL", "smtp_url", maskURL(cfg.smtpURL), "from", cfg.smtpFrom)
	} else {
		logger.Warn("SMTP_URL is empty: bulk emails are logged, not sent")
	}
	if cfg.smsWebhookURL != "" {
		webhook, err := notify.NewWebhook(cfg.smsWebhookURL, cfg.smsWebhookSecret, nil)
		if err != nil {
			closeSMTP()
			return nil, nil, fmt.Errorf("SMS_WEBHOOK_URL: %s", strings.TrimPrefix(err.Error(), "notify: "))
		}
		router.SMS = webhook
		logger.Info("bulk SMS are sent through SMS_WEBHOOK_URL", "sms_webhook_url", maskURL(cfg.smsWebhookURL))
	} else {
		logger.Warn("SMS_WEBHOOK_URL is empty: bulk SMS are logged, not sent")
	}
	return router, closeSMTP, nil
}

// maskURL is a URL fit for the log: its password and its query (where a
// gateway's token may be) replaced.
func maskURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(not a URL)"
	}
	if u.RawQuery != "" {
		u.RawQuery = "xxxxx"
	}
	u.Fragment, u.RawFragment = "", ""
	return u.Redacted()
}
