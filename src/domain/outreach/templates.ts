/**
 * Message text for the four templates the Strategy chooses (config/contact-policy.json), per
 * channel and language. Placeholders are `{{name}}`; the renderer fails on an unknown one.
 *
 * Tone (Reg F §1006.14, §1006.18): factual, no threats, no invented deadlines or consequences.
 * `final-notice` is only the latest stage of the ladder; its text does not claim to be final.
 * Compliance text (debt-collector disclosure, opt-out, sender address) is added by the renderer
 * to every message, so no template can leave it out.
 */
export const TEMPLATE_IDS = ['early-reminder', 'mid-stage-reminder', 'payment-plan-offer', 'final-notice'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
export const FALLBACK_LANGUAGE: Language = 'en';

/** Any other language falls back to English: we never send text nobody has reviewed. */
export const resolveLanguage = (language: string): Language =>
  (LANGUAGES as readonly string[]).includes(language.toLowerCase()) ? (language.toLowerCase() as Language) : FALLBACK_LANGUAGE;

export interface EmailTemplate {
  subject: string;
  /** Paragraphs of the body, after the greeting. */
  paragraphs: string[];
}

export interface LanguagePack {
  greeting: string;
  greetingNoName: string;
  email: Record<TemplateId, EmailTemplate>;
  /** Body of the text, between "<sender>: " and the disclosure + STOP line. */
  sms: Record<TemplateId, string>;
  smsGreeting: string;
  smsGreetingNoName: string;
  /** §1006.18(e) disclosure. */
  debtCollectorEmail: string;
  debtCollectorSms: string;
  /** §1006.6(e) / CAN-SPAM: the opt-out sentence; the link follows it. */
  emailOptOut: string;
  /** Always the keyword STOP: carriers and AWS End User Messaging handle it in every language. */
  smsOptOut: string;
  products: Record<string, string>;
  productFallback: string;
}

export const PACKS: Record<Language, LanguagePack> = {
  en: {
    greeting: 'Hi {{firstName}},',
    greetingNoName: 'Hello,',
    email: {
      'early-reminder': {
        subject: 'A reminder about your {{product}} account',
        paragraphs: [
          'This is a friendly reminder that {{amount}} on your {{product}} account is {{days}} days past due. If you have already paid, thank you, and please disregard this message.',
          'You can pay online at {{paymentUrl}} or call us at {{phone}}.',
        ],
      },
      'mid-stage-reminder': {
        subject: 'Your {{product}} account is past due',
        paragraphs: [
          'Our records show {{amount}} past due on your {{product}} account, {{days}} days after the due date. We are here to help you get back on track.',
          'You can pay online at {{paymentUrl}} or call us at {{phone}} to talk about your options.',
        ],
      },
      'payment-plan-offer': {
        subject: 'Payment plan options for your {{product}} account',
        paragraphs: [
          'Your {{product}} account has {{amount}} past due ({{days}} days). If paying the full amount is difficult right now, you may be eligible for a payment plan.',
          'See your options at {{paymentUrl}} or call us at {{phone}}.',
        ],
      },
      'final-notice': {
        subject: 'Important information about your {{product}} account',
        paragraphs: [
          'Your {{product}} account is {{days}} days past due, with {{amount}} past due. We would like to help you resolve this balance.',
          'Please pay online at {{paymentUrl}} or call us at {{phone}} to discuss your options.',
        ],
      },
    },
    smsGreeting: 'Hi {{firstName}}, ',
    smsGreetingNoName: 'Hello, ',
    sms: {
      'early-reminder': 'a reminder that {{amount}} on your {{product}} is {{days}} days past due. Pay at {{paymentUrl}} or call {{phone}}.',
      'mid-stage-reminder': 'your {{product}} has {{amount}} past due ({{days}} days). We can help: {{paymentUrl}} or call {{phone}}.',
      'payment-plan-offer': 'a payment plan may be available for the {{amount}} past due on your {{product}}. Options: {{paymentUrl}} or call {{phone}}.',
      'final-notice': 'your {{product}} is {{days}} days past due ({{amount}}). Please pay at {{paymentUrl}} or call {{phone}} to discuss options.',
    },
    debtCollectorEmail:
      'This communication is from a debt collector. This is an attempt to collect a debt, and any information obtained will be used for that purpose.',
    debtCollectorSms: 'This is from a debt collector.',
    emailOptOut: 'To stop receiving emails from us at this address, unsubscribe here:',
    smsOptOut: 'Reply STOP to opt out',
    products: { credit_card: 'credit card', personal_loan: 'personal loan', auto_loan: 'auto loan', bnpl: 'pay-later plan' },
    productFallback: 'loan',
  },
  es: {
    greeting: 'Hola, {{firstName}}:',
    greetingNoName: 'Hola:',
    email: {
      'early-reminder': {
        subject: 'Recordatorio sobre su cuenta de {{product}}',
        paragraphs: [
          'Le recordamos que su cuenta de {{product}} tiene {{amount}} con {{days}} días de atraso. Si ya realizó el pago, le damos las gracias y puede ignorar este mensaje.',
          'Puede pagar en línea en {{paymentUrl}} o llamarnos al {{phone}}.',
        ],
      },
      'mid-stage-reminder': {
        subject: 'Su cuenta de {{product}} tiene un saldo vencido',
        paragraphs: [
          'Según nuestros registros, su cuenta de {{product}} tiene {{amount}} vencidos, con {{days}} días de atraso. Estamos aquí para ayudarle a ponerse al día.',
          'Puede pagar en línea en {{paymentUrl}} o llamarnos al {{phone}} para hablar de sus opciones.',
        ],
      },
      'payment-plan-offer': {
        subject: 'Opciones de plan de pago para su cuenta de {{product}}',
        paragraphs: [
          'Su cuenta de {{product}} tiene {{amount}} vencidos ({{days}} días de atraso). Si en este momento le resulta difícil pagar el monto completo, es posible que califique para un plan de pago.',
          'Vea sus opciones en {{paymentUrl}} o llámenos al {{phone}}.',
        ],
      },
      'final-notice': {
        subject: 'Información importante sobre su cuenta de {{product}}',
        paragraphs: [
          'Su cuenta de {{product}} tiene {{days}} días de atraso y un saldo vencido de {{amount}}. Queremos ayudarle a resolver este saldo.',
          'Pague en línea en {{paymentUrl}} o llámenos al {{phone}} para hablar de sus opciones.',
        ],
      },
    },
    smsGreeting: 'Hola {{firstName}}, ',
    smsGreetingNoName: 'Hola, ',
    // Written with accents; the SMS renderer folds á/í/ó/ú to GSM-7 so a text stays 2 segments.
    sms: {
      'early-reminder': 'le recordamos que su {{product}} tiene {{amount}} con {{days}} días de atraso. Pague en {{paymentUrl}} o llame al {{phone}}.',
      'mid-stage-reminder': 'su {{product}} tiene {{amount}} vencidos ({{days}} días). Podemos ayudarle: {{paymentUrl}} o llame al {{phone}}.',
      'payment-plan-offer': 'podría haber un plan de pago para los {{amount}} vencidos de su {{product}}. Opciones: {{paymentUrl}} o llame al {{phone}}.',
      'final-notice': 'su {{product}} tiene {{days}} días de atraso ({{amount}}). Pague en {{paymentUrl}} o llame al {{phone}} para ver opciones.',
    },
    debtCollectorEmail:
      'Esta comunicación proviene de un cobrador de deudas. Se trata de un intento de cobrar una deuda y cualquier información obtenida se utilizará con ese fin.',
    debtCollectorSms: 'Mensaje de un cobrador de deudas.',
    emailOptOut: 'Para dejar de recibir nuestros correos en esta dirección, cancele la suscripción aquí:',
    smsOptOut: 'Responda STOP para cancelar',
    products: { credit_card: 'tarjeta de crédito', personal_loan: 'préstamo personal', auto_loan: 'préstamo de auto', bnpl: 'plan de pago a plazos' },
    productFallback: 'préstamo',
  },
};
